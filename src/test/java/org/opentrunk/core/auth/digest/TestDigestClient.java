package org.opentrunk.core.auth.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PBX's side of digest authentication, written independently of the production code (its own
 * challenge reading and hashing straight from the password) so that round trips test the
 * verifier against a second implementation rather than against itself.
 */
final class TestDigestClient {

    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]+))");

    final String username;
    final String password;

    TestDigestClient(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** The parameters of a challenge header value written by the server. */
    static Map<String, String> challengeParameters(String headerValue) {
        if (!headerValue.startsWith("Digest ")) {
            throw new AssertionError("not a Digest challenge: " + headerValue);
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(headerValue.substring(7));
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
            params.put(m.group(1), value);
        }
        return params;
    }

    /** The Proxy-Authorization value answering {@code challenge} for {@code method uri}. */
    String answer(String challenge, String method, String uri, int nc, String cnonce) {
        Map<String, String> c = challengeParameters(challenge);
        String algorithm = c.getOrDefault("algorithm", "MD5");
        String jca = algorithm.equalsIgnoreCase("SHA-256") ? "SHA-256" : "MD5";
        String ncHex = String.format("%08x", nc);
        String response = response(jca, c.get("realm"), c.get("nonce"), method, uri, ncHex, cnonce);
        // Deliberately another shape than the server's renderer: other order, lowercase scheme,
        // spaces around '=', unquoted response, an extension parameter.
        return "digest  nc = " + ncHex + " ,qop=auth,response=" + response
                + ", cnonce=\"" + cnonce + "\", uri=\"" + uri + "\", x-vendor=\"ignored, really\""
                + ", nonce=\"" + c.get("nonce") + "\", Realm=\"" + c.get("realm").replace("\"", "\\\"") + "\""
                + ", opaque=\"" + c.get("opaque") + "\", algorithm=" + algorithm
                + ", username=\"" + username + "\"";
    }

    String response(String jca, String realm, String nonce, String method, String uri, String ncHex, String cnonce) {
        String ha1 = hex(jca, username + ":" + realm + ":" + password);
        String ha2 = hex(jca, method + ":" + uri);
        return hex(jca, ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
    }

    static String hex(String jca, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
