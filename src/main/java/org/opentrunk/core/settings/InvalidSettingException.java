package org.opentrunk.core.settings;

/** An {@code OT_*} setting has a value OpenTrunk cannot use; the message names it. */
public final class InvalidSettingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String name, String value, String expected) {
        super(name + "=" + value + " is not valid: expected " + expected);
    }
}
