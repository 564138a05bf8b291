package org.opentrunk.core.cnam;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where an external CNAM provider is asked for a caller's name (IC-CNAM-IN), as the operator sets
 * it in {@value #SETTING}: an http or https URL with {@value #NUMBER_PLACEHOLDER} where the
 * caller's number goes, e.g. {@code http://127.0.0.1:8089/cnam?number={number}}. The number is
 * put in URL-encoded with its {@code +} ({@code %2B12066418000}).
 *
 * <p>{@link #toString()} and every error name only the scheme, host and port: the path and query
 * of a provider URL often carry an API key, which must not end up in logs.
 *
 * @param template the URL as written, with the placeholder
 */
public record CnamUrlTemplate(String template) {

    /** The setting that holds the template. */
    public static final String SETTING = "OT_CNAM_URL";

    /** Replaced by the URL-encoded E.164 number of the caller. */
    public static final String NUMBER_PLACEHOLDER = "{number}";

    /** Only these schemes: anything else (file:, ftp:, jar:) is not a CNAM provider. */
    public static final Set<String> SCHEMES = Set.of("http", "https");

    /** A number of the longest E.164 shape, used to check the template expands to a valid URI. */
    private static final String SAMPLE_NUMBER = "+123456789012345";

    /** @throws InvalidCnamUrlException when the template is missing, not http(s), has no host or no placeholder */
    public CnamUrlTemplate {
        if (template == null || template.isBlank()) {
            throw new InvalidCnamUrlException(SETTING + " is empty");
        }
        template = template.strip();
        if (!template.contains(NUMBER_PLACEHOLDER)) {
            throw new InvalidCnamUrlException(SETTING + " must contain " + NUMBER_PLACEHOLDER
                    + " where the caller's number goes");
        }
        URI sample;
        try {
            sample = new URI(template.replace(NUMBER_PLACEHOLDER, encode(SAMPLE_NUMBER)));
        } catch (URISyntaxException e) {
            // The reason quotes the input, which may hold a key: say only where it broke.
            throw new InvalidCnamUrlException(SETTING + " is not a valid URL (error at character "
                    + e.getIndex() + ")");
        }
        String scheme = sample.getScheme() == null ? null : sample.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new InvalidCnamUrlException(SETTING + " must be an http:// or https:// URL");
        }
        if (sample.getHost() == null || sample.getHost().isEmpty()) {
            throw new InvalidCnamUrlException(SETTING + " has no host name");
        }
        if (sample.getRawUserInfo() != null) {
            throw new InvalidCnamUrlException(SETTING + " must not carry user:password@;"
                    + " put a key in the query string instead");
        }
    }

    /** The template, as {@link #template()}. */
    public static CnamUrlTemplate of(String template) {
        return new CnamUrlTemplate(template);
    }

    /** The URL to ask about {@code e164}, the number URL-encoded ({@code +} as {@code %2B}). */
    public URI expand(String e164) {
        Objects.requireNonNull(e164, "e164");
        return URI.create(template.replace(NUMBER_PLACEHOLDER, encode(e164)));
    }

    /** Scheme, host and port only: safe to log. */
    public String origin() {
        URI sample = expand(SAMPLE_NUMBER);
        return sample.getScheme() + "://" + sample.getHost() + (sample.getPort() < 0 ? "" : ":" + sample.getPort());
    }

    private static String encode(String e164) {
        return URLEncoder.encode(e164, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return origin();
    }
}
