package org.opentrunk.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4, for tests that scrape
 * {@code /metrics} (the Prometheus Java client has writers only). It follows the format's rules:
 * every line ends with {@code \n}; {@code # HELP name text} (escapes {@code \\} and {@code \n}) and
 * {@code # TYPE name counter|gauge|histogram|summary|untyped}, each at most once per name, the TYPE
 * before the name's first sample; other {@code #} lines are comments; a sample is
 * {@code name[{label="value",...}] value [timestamp]}, label values escaping {@code \\}, {@code \"}
 * and {@code \n}, the value a Go float ({@code NaN}, {@code +Inf}, {@code -Inf} included), the
 * timestamp an integer; the samples of one family come together, and no series (name and labels)
 * twice. Anything else throws {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(NaN|Inf|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its TYPE ({@code untyped} when none was given), HELP and samples in order. */
    public record Family(String name, String type, String help, List<Sample> samples) {
        /** The value of the sample with exactly these labels. */
        public double value(Map<String, String> labels) {
            return samples.stream().filter(s -> s.labels().equals(labels)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no sample " + labels)).value();
        }
    }

    private PrometheusText() {
    }

    /** The families of a scrape, by name, in the order they appear. */
    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line has no line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + " \"" + line + "\": ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                boolean help = parts.length >= 3 && parts[0].equals("#") && parts[1].equals("HELP");
                boolean type = parts.length >= 3 && parts[0].equals("#") && parts[1].equals("TYPE");
                if (!help && !type) {
                    continue; // a comment
                }
                String name = parts[2];
                if (!METRIC_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(where + "not a metric name");
                }
                String rest = parts.length == 4 ? parts[3] : "";
                if (help) {
                    if (helps.put(name, unescape(rest, false, where)) != null) {
                        throw new IllegalArgumentException(where + "a second HELP for " + name);
                    }
                } else {
                    if (!TYPES.contains(rest)) {
                        throw new IllegalArgumentException(where + "unknown type");
                    }
                    if (types.put(name, rest) != null) {
                        throw new IllegalArgumentException(where + "a second TYPE for " + name);
                    }
                    if (samples.containsKey(name)) {
                        throw new IllegalArgumentException(where + "TYPE after samples of " + name);
                    }
                }
                continue;
            }
            Sample sample = sample(line, where);
            String family = family(sample.name(), types);
            if (!family.equals(current)) {
                if (samples.containsKey(family)) {
                    throw new IllegalArgumentException(where + "the samples of " + family + " are not together");
                }
                current = family;
                samples.put(family, new ArrayList<>());
            }
            if (!series.add(sample.name() + sample.labels())) {
                throw new IllegalArgumentException(where + "a second sample of the same series");
            }
            samples.get(family).add(sample);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>(types.keySet());
        names.addAll(helps.keySet());
        names.addAll(samples.keySet());
        for (String name : names) {
            families.put(name, new Family(name, types.getOrDefault(name, "untyped"), helps.get(name),
                    Collections.unmodifiableList(samples.getOrDefault(name, List.of()))));
        }
        return families;
    }

    /** The family a sample belongs to: its own name, or for histograms and summaries the base name. */
    private static String family(String sample, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return sample;
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "not a metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException(where + "a label without =");
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException(where + "not a label name: " + label);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException(where + "a label value is not quoted");
                }
                int end = eq + 2;
                while (end < line.length() && line.charAt(end) != '"') {
                    end += line.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= line.length()) {
                    throw new IllegalArgumentException(where + "a label value without its closing quote");
                }
                if (labels.put(label, unescape(line.substring(eq + 2, end), true, where)) != null) {
                    throw new IllegalArgumentException(where + "label " + label + " twice");
                }
                i = end + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + "expected , or } after a label");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException(where + "no value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length > 2 || !FLOAT.matcher(rest[0]).matches()
                || (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches())) {
            throw new IllegalArgumentException(where + "not a value [timestamp]");
        }
        String value = rest[0];
        double parsed = value.endsWith("Inf") ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : value.endsWith("NaN") ? Double.NaN : Double.parseDouble(value);
        return new Sample(name, Collections.unmodifiableMap(labels), parsed);
    }

    private static String unescape(String text, boolean quotes, String where) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (quotes && c == '"') {
                    throw new IllegalArgumentException(where + "an unescaped quote in a label value");
                }
                out.append(c);
                continue;
            }
            if (++i == text.length()) {
                throw new IllegalArgumentException(where + "a lone backslash");
            }
            char e = text.charAt(i);
            if (e == '\\') {
                out.append('\\');
            } else if (e == 'n') {
                out.append('\n');
            } else if (quotes && e == '"') {
                out.append('"');
            } else {
                throw new IllegalArgumentException(where + "unknown escape \\" + e);
            }
        }
        return out.toString();
    }
}
