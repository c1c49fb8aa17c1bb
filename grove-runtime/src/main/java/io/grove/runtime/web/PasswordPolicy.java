package io.grove.runtime.web;

/** What a dashboard password must be: 8 to 1024 characters (NIST SP 800-63B: length, not composition rules). */
public final class PasswordPolicy {
    /** The shortest password accepted. */
    public static final int MIN_LENGTH = 8;
    /** The longest password accepted (bounds the hashing input). */
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {
    }

    /** Returns {@code password} if acceptable, else throws {@link IllegalArgumentException} saying why. */
    public static String check(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw new IllegalArgumentException("the password must have at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("the password may have at most " + MAX_LENGTH + " characters");
        }
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the password may not contain control characters (such as a line break)");
        }
        return password;
    }
}
