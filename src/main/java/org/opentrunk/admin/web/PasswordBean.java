package org.opentrunk.admin.web;

import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.AdminCredentials;

/** Changing the admin password: the current one first, the new one twice. */
@Named
@RequestScoped
public class PasswordBean {

    public static final int MIN_LENGTH = 10;

    @Inject
    private AdminCredentials credentials;

    private String current;
    private String next;
    private String repeat;

    public void change() {
        if (!credentials.matches(AdminCredentials.ADMIN_USER, current)) {
            FieldMessages.error("password", "current", "This is not the current password.");
        } else if (next == null || next.length() < MIN_LENGTH) {
            FieldMessages.error("password", "next", "The new password needs at least " + MIN_LENGTH + " characters.");
        } else if (!next.equals(repeat)) {
            FieldMessages.error("password", "repeat", "The two new passwords differ.");
        } else {
            credentials.change(next);
            FieldMessages.info("Password changed. Scripts using the REST API need the new one.");
        }
    }

    public String getCurrent() { return current; }
    public void setCurrent(String current) { this.current = current; }
    public String getNext() { return next; }
    public void setNext(String next) { this.next = next; }
    public String getRepeat() { return repeat; }
    public void setRepeat(String repeat) { this.repeat = repeat; }
}
