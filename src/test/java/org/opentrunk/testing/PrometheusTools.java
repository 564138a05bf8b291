package org.opentrunk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonReader;
import javax.json.JsonValue;

/**
 * The Prometheus project's own tools on a scrape, not a reader of ours: the reference Python client's
 * text-format parser ({@code prometheus_client.parser}, Debian's python3-prometheus-client) for the
 * values, and {@code promtool check metrics} (Debian's prometheus) for the format and naming rules.
 * There is no Prometheus text parser for Java on Maven Central (the Java client only writes). Both
 * packages are in test.sh's list; a missing one fails the test, it never skips.
 */
public final class PrometheusTools {

    /** Debian's interpreter: the one python3-prometheus-client installs into. */
    private static final String PYTHON = "/usr/bin/python3";
    private static final String PROMTOOL = "promtool";
    private static final long TIMEOUT_SECONDS = 60;
    /** Prints each sample as JSON: [name, {labels}, value], the value a string when not finite. */
    private static final String PARSE = String.join("\n",
            "import sys, json, math",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = []",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        v = s.value if math.isfinite(s.value) else str(s.value)",
            "        out.append([s.name, dict(s.labels), v, family.type, family.name])",
            "json.dump(out, sys.stdout)");

    /** One sample as the Python client read it; {@code type} and {@code family} are its family's. */
    public record Sample(String name, Map<String, String> labels, double value, String type, String family) {
    }

    private PrometheusTools() {
    }

    /** The samples of {@code scrape}, in order; fails when the parser refuses the text. */
    public static List<Sample> parse(String scrape) throws IOException, InterruptedException {
        Result result = run(List.of(PYTHON, "-c", PARSE), scrape);
        if (result.exit() != 0) {
            throw new AssertionError("prometheus_client refused the scrape (exit " + result.exit() + "): " + result.output());
        }
        List<Sample> samples = new ArrayList<>();
        try (JsonReader reader = Json.createReader(new StringReader(result.output()))) {
            for (JsonValue v : reader.readArray()) {
                JsonArray a = v.asJsonArray();
                Map<String, String> labels = new LinkedHashMap<>();
                JsonObject l = a.getJsonObject(1);
                l.keySet().forEach(k -> labels.put(k, l.getString(k)));
                JsonValue value = a.get(2);
                double d = value.getValueType() == JsonValue.ValueType.STRING
                        ? Double.parseDouble(a.getString(2).replace("inf", "Infinity").replace("nan", "NaN"))
                        : a.getJsonNumber(2).doubleValue();
                samples.add(new Sample(a.getString(0), Map.copyOf(labels), d, a.getString(3), a.getString(4)));
            }
        }
        return samples;
    }

    /** The value of the one sample named {@code name} with exactly {@code labels}. */
    public static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + labels + "; of that name: "
                    + samples.stream().filter(s -> s.name().equals(name)).toList());
        }
        return found.get(0).value();
    }

    /** {@code promtool check metrics}: the scrape's format and Prometheus' naming rules; the tool's words on failure. */
    public static void checkMetrics(String scrape) throws IOException, InterruptedException {
        Result result = run(List.of(PROMTOOL, "check", "metrics"), scrape);
        if (result.exit() != 0) {
            throw new AssertionError("promtool check metrics (exit " + result.exit() + "): " + result.output());
        }
    }

    /** {@code promtool check rules FILE}: the alerting and recording rules parse and their PromQL is valid. */
    public static String checkRules(Path rules) throws IOException, InterruptedException {
        Result result = run(List.of(PROMTOOL, "check", "rules", rules.toString()), "");
        if (result.exit() != 0) {
            throw new AssertionError("promtool check rules " + rules + " (exit " + result.exit() + "): " + result.output());
        }
        return result.output();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, String input) throws IOException, InterruptedException {
        Path err = Files.createTempFile("prometheus-tool", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream stdout = process.getInputStream()) {
                stdout.transferTo(out);
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String text = out.toString(StandardCharsets.UTF_8) + Files.readString(err);
            return new Result(process.exitValue(), process.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : text);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
