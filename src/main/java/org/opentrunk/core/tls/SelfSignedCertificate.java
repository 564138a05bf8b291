package org.opentrunk.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a self-signed certificate with the JDK's own {@code keytool} (the JDK has no public API
 * for it, and a crypto library for one certificate is not worth its weight): RSA 2048, which every
 * SIP phone and PBX accepts, valid ten years, the trunk's domain as subject and name, the SIP
 * address as IP name when it is one.
 */
public final class SelfSignedCertificate {

    public static final int VALIDITY_DAYS = 3650;
    /** keytool takes about a second for an RSA 2048 key; far longer means it hangs. */
    static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private SelfSignedCertificate() {
    }

    /**
     * Generates the key and certificate into a new PKCS12 file {@code target} (replaced if present).
     *
     * @param domain    the subject's CN and a DNS name
     * @param ipAddress an IPv4 literal for an IP name, or null
     */
    public static void generate(Path target, char[] password, String domain, String ipAddress) throws TlsMaterialException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String names = "dns:" + domain + (ipAddress == null ? "" : ",ip:" + ipAddress);
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", KeyStoreFile.KEY_ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-validity", Integer.toString(VALIDITY_DAYS), "-dname", "CN=" + domain + ", O=OpenTrunk",
                "-ext", "SAN=" + names, "-storetype", "PKCS12", "-keystore", target.toString(),
                "-storepass:env", "OT_KEYTOOL_PASS", "-keypass:env", "OT_KEYTOOL_PASS"));
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("OT_KEYTOOL_PASS", new String(password));
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TlsMaterialException("keytool did not finish in " + KEYTOOL_TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new TlsMaterialException("keytool failed (" + process.exitValue() + "): " + new String(output).trim());
            }
        } catch (IOException e) {
            throw new TlsMaterialException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsMaterialException("interrupted while keytool ran", e);
        }
    }
}
