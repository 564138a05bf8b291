package org.opentrunk.admin.web;

import org.opentrunk.metrics.TrunkMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.metrics.CallHistory;

/**
 * The charts of the admin pages (issue 26): calls per second, concurrent calls and ASR over the last
 * hour, from the trunk's in-memory {@link CallHistory}, overall on the live calls page and per
 * carrier on the carriers page. Each series goes into the page as JSON in a {@code data-series}
 * attribute (numbers and nulls only), which resources/charts.js draws with uPlot, served from its
 * WebJar in the WAR.
 */
@Named
@RequestScoped
public class ChartBean {

    /** The WebJar's own record of its version, so the page names the jar's path without a second copy of it. */
    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String UPLOT_VERSION = webJarVersion();

    @Inject
    private TrunkMetrics metrics;

    /** The last hour overall: t (epoch seconds of each minute), cps, live (peak concurrent calls), asr (% or null). */
    public String getOverall() {
        return json(history().overall(System.currentTimeMillis()));
    }

    /** The last hour of one carrier: t, cps, live (peak of its calls, sampled) and asr. */
    public String carrier(long carrierId) {
        return json(history().carrier(carrierId, System.currentTimeMillis()));
    }

    /** One carrier's last hour in words: "12 calls, ASR 58 %", "no calls". */
    public String carrierHour(long carrierId) {
        List<CallHistory.Point> points = history().carrier(carrierId, System.currentTimeMillis());
        long attempts = points.stream().mapToLong(CallHistory.Point::attempts).sum();
        long answered = points.stream().mapToLong(CallHistory.Point::answered).sum();
        return attempts == 0 ? "no calls" : attempts + (attempts == 1 ? " call" : " calls") + ", ASR "
                + Math.round(answered * 100.0 / attempts) + " %";
    }

    /** Path of uPlot's files in the WAR, below the context path. */
    public String getUplotPath() {
        return "/webjars/uplot/" + UPLOT_VERSION + "/dist";
    }

    private CallHistory history() {
        return metrics.history();
    }

    static String json(List<CallHistory.Point> points) {
        StringBuilder t = new StringBuilder();
        StringBuilder cps = new StringBuilder();
        StringBuilder live = new StringBuilder();
        StringBuilder asr = new StringBuilder();
        for (CallHistory.Point p : points) {
            String sep = t.length() == 0 ? "" : ",";
            t.append(sep).append(p.startMs() / 1000);
            cps.append(sep).append(String.format(Locale.ROOT, "%.4f", p.callsPerSecond()));
            live.append(sep).append(p.peakLive());
            Double ratio = p.answerSeizureRatio();
            asr.append(sep).append(ratio == null ? "null" : String.format(Locale.ROOT, "%.1f", ratio));
        }
        return "{\"t\":[" + t + "],\"cps\":[" + cps + "],\"live\":[" + live + "],\"asr\":[" + asr + "]}";
    }

    private static String webJarVersion() {
        try (InputStream in = ChartBean.class.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("uPlot's WebJar is not in the WAR (" + UPLOT_POM + ")");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
