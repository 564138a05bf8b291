package org.opentrunk.admin.web;

import javax.faces.application.FacesMessage;
import javax.faces.context.FacesContext;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.DuplicateException;
import org.opentrunk.store.InUseException;
import org.opentrunk.store.NotFoundException;

/**
 * Puts a service's refusal next to the field it names. The services name fields as the API does
 * ({@code techPrefix}, {@code routes[1].target}); the pages give their inputs the same ids, so
 * {@code routes[1].target} in form {@code number} is the input {@code number:routes:1:target}.
 * A field with no input on the page gets a message at the top.
 */
final class FieldMessages {

    private FieldMessages() {
    }

    /** Shows {@code e} if it is an operator's mistake and returns true; false for anything else. */
    static boolean show(String formId, RuntimeException e) {
        String field;
        if (e instanceof InvalidFieldException f) {
            field = f.field();
        } else if (e instanceof DuplicateException d) {
            field = d.field();
        } else if (e instanceof NotFoundException || e instanceof InUseException) {
            field = null;
        } else {
            Throwable cause = e.getCause();
            return cause instanceof RuntimeException r && cause != e && show(formId, r);
        }
        error(formId, field, e.getMessage());
        return true;
    }

    /**
     * Runs a form's action; an operator's mistake it throws becomes a message next to its field
     * ({@link #show}), anything else goes on to the error page.
     */
    static void attempt(String formId, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            if (!show(formId, e)) {
                throw e;
            }
        }
    }

    static void error(String formId, String field, String message) {
        FacesContext faces = FacesContext.getCurrentInstance();
        String clientId = field == null ? null : formId + ":" + field.replace("].", ":").replace("[", ":").replace("]", "");
        boolean onPage = clientId != null
                && faces.getViewRoot().invokeOnComponent(faces, clientId, (context, component) -> { });
        faces.addMessage(onPage ? clientId : null, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, message));
        faces.validationFailed();
    }

    static void info(String message) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, message, message));
    }
}
