// Behaviour of the admin pages, kept out of the markup so that their Content-Security-Policy needs
// no 'unsafe-inline' (issue 25): confirmations, Ajax buttons and the live calls' refresh are
// declared with data- attributes and wired here. Listeners sit on the document, so they also work
// for elements an Ajax response has re-rendered.
(function () {
  'use strict';

  function closest(target, attribute) {
    return target && target.closest ? target.closest('[' + attribute + ']') : null;
  }

  // data-confirm="question": the button submits only when the operator agrees.
  document.addEventListener('click', function (event) {
    var button = closest(event.target, 'data-confirm');
    if (button && !window.confirm(button.getAttribute('data-confirm'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // data-ajax-render="ids": the button runs its action by Ajax (JSF's jsf.ajax, an external script)
  // and re-renders those client ids instead of reloading the page.
  document.addEventListener('click', function (event) {
    var button = closest(event.target, 'data-ajax-render');
    if (button && window.jsf && window.jsf.ajax) {
      event.preventDefault();
      window.jsf.ajax.request(button, event, {
        execute: button.id,
        render: button.getAttribute('data-ajax-render')
      });
    }
  });

  // data-refresh-millis on an element, data-refresh-button naming the button to press that often
  // while the page is visible (the live calls page).
  document.addEventListener('DOMContentLoaded', function () {
    var holder = document.querySelector('[data-refresh-millis]');
    if (!holder) {
      return;
    }
    var millis = parseInt(holder.getAttribute('data-refresh-millis'), 10);
    if (!(millis > 0)) {
      return;
    }
    setInterval(function () {
      var button = document.getElementById(holder.getAttribute('data-refresh-button'));
      if (button && !document.hidden) {
        button.click();
      }
    }, millis);
  });
}());
