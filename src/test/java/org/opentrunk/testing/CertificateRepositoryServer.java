package org.opentrunk.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A STIR/SHAKEN certificate repository for the tests (IC-STIR): HTTPS on a loopback address,
 * serving PEM files by path ({@code x5u} URLs), with {@code Cache-Control: max-age}, counting the
 * fetches of each path. Its TLS certificate is issued by the tests' CA, which the parties that
 * fetch from it are told to trust (the server's JVM trust store, Kamailio's SSL_CERT_FILE).
 */
public final class CertificateRepositoryServer implements AutoCloseable {

    /** What the repository asks fetchers to cache for. */
    public static final int MAX_AGE_SECONDS = 600;
    private static final char[] STORE_PASSWORD = "stir-test".toCharArray();

    private final HttpsServer server;
    private final String address;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    public CertificateRepositoryServer(String address, StirPki.Issued ca) throws Exception {
        this.address = address;
        StirPki.Issued tls = StirPki.tlsServer(ca, address);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", tls.keys().getPrivate(), STORE_PASSWORD, new Certificate[] {tls.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(address, 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/x-pem-file");
                exchange.getResponseHeaders().set("Cache-Control", "max-age=" + MAX_AGE_SECONDS);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** Publishes {@code pem} at {@code path}; returns its https URL. */
    public String publish(String path, String pem) {
        files.put(path, pem.getBytes(StandardCharsets.US_ASCII));
        return url(path);
    }

    public String url(String path) {
        return "https://" + address + ":" + server.getAddress().getPort() + path;
    }

    /** How often {@code path} was fetched. */
    public int fetches(String path) {
        AtomicInteger n = fetches.get(path);
        return n == null ? 0 : n.get();
    }

    /** A PKCS #12 trust store holding {@code ca}, for a JVM that fetches from here. */
    public static Path trustStore(Path file, StirPki.Issued ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("stir-test-ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, STORE_PASSWORD);
        }
        return file;
    }

    public static String trustStorePassword() {
        return new String(STORE_PASSWORD);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
