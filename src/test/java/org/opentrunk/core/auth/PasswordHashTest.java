package org.opentrunk.core.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void theRightPasswordMatchesAndNothingElse() {
        String hash = PasswordHash.hash("correct horse");
        assertTrue(PasswordHash.matches("correct horse", hash));
        assertFalse(PasswordHash.matches("correct horse ", hash));
        assertFalse(PasswordHash.matches("", hash));
    }

    @Test
    void theStoredValueRevealsNeitherPasswordNorEquality() {
        String a = PasswordHash.hash("secret");
        String b = PasswordHash.hash("secret");
        assertFalse(a.contains("secret"));
        assertNotEquals(a, b, "salted: the same password hashes differently");
        assertTrue(a.startsWith("pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$"), a);
    }

    @Test
    void malformedStoredValuesNeverMatch() {
        for (String bad : new String[] {null, "", "plain", "pbkdf2-sha256$x$y$z", "md5$1$AA==$AA==", "pbkdf2-sha256$1$%%$AA=="}) {
            assertFalse(PasswordHash.matches("secret", bad), String.valueOf(bad));
        }
    }

    @Test
    void generatedPasswordsAreLongAndDifferent() {
        String p = PasswordHash.randomPassword();
        assertTrue(p.length() >= 20, p);
        assertNotEquals(p, PasswordHash.randomPassword());
    }
}
