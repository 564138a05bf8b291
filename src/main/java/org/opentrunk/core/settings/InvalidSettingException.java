package org.opentrunk.core.settings;

/** {@code OT_*} settings with values OpenTrunk cannot use; the message names each one. */
public final class InvalidSettingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final java.util.List<String> problems;

    public InvalidSettingException(String name, String value, String expected) {
        super(name + "=" + value + " is not valid: expected " + expected);
        this.problems = java.util.List.of(getMessage());
    }

    /** Several bad settings at once, one message each. */
    InvalidSettingException(java.util.List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " settings are not valid: " + String.join("; ", problems));
        this.problems = java.util.List.copyOf(problems);
    }

    /** One message per bad setting. */
    public java.util.List<String> problems() {
        return problems;
    }
}
