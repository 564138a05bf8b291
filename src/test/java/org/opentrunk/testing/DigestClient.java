package org.opentrunk.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PBX side of SIP digest, written independently of OpenTrunk's own code (RFC 2617 / 7616). */
public final class DigestClient {

    private DigestClient() {
    }

    public static String param(String challenge, String name) {
        Matcher m = Pattern.compile(name + "=\"?([^\",]*)\"?").matcher(challenge);
        return m.find() ? m.group(1) : null;
    }

    /** A Proxy-Authorization value answering {@code challenge} with qop=auth. */
    public static String answer(String challenge, String method, String uri, String user, String password, int nc) {
        String algorithm = param(challenge, "algorithm") == null ? "MD5" : param(challenge, "algorithm");
        String realm = param(challenge, "realm");
        String nonce = param(challenge, "nonce");
        String cnonce = "c0ffee" + nc;
        String ncHex = String.format("%08x", nc);
        String ha1 = hash(algorithm, user + ":" + realm + ":" + password);
        String ha2 = hash(algorithm, method + ":" + uri);
        String response = hash(algorithm, ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
        String opaque = param(challenge, "opaque");
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm + ", cnonce=\"" + cnonce + "\", qop=auth, nc="
                + ncHex + (opaque == null ? "" : ", opaque=\"" + opaque + "\"");
    }

    private static String hash(String algorithm, String text) {
        try {
            String jca = "SHA-256".equalsIgnoreCase(algorithm) ? "SHA-256" : "MD5";
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
