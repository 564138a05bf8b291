package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.CarrierTrap;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * The RFC 4475 torture message set of the issue (51 files, see src/test/resources/rfc4475/README.md), each sent to OpenTrunk over UDP and over TCP from an address
 * nobody provisioned, and over UDP from the customer PBX (as they are, and INVITEs also with the
 * Request-URI pointed at a number the customer may call). After every message OpenTrunk must
 * still answer an OPTIONS; no message may get a 500 (an exception in OpenTrunk) or, if it is in
 * the "invalid" set, a 2xx; nothing sent by the stranger may reach a carrier. What each message
 * got is written to target/rfc4475-outcomes.md.
 *
 * Only the top Via's sent-by is rewritten (to the sending socket), so that answers come back to
 * the test; everything else, broken Content-Lengths included, is sent byte for byte.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TortureMessagesIT {

    private static final Path MESSAGES = resource("/rfc4475");
    private static final Path REPORT = Path.of("target/rfc4475-outcomes.md");
    private static final List<String> FOLDERS = List.of("valid", "invalid", "failed");
    /**
     * The files of the set: 47 of RFC 4475's 49 messages (escruri and baddate are not in it) and
     * four the parser project added (test, wsinv2, wsinv3, badRequestUri). Counted so that a file
     * lost in a copy fails the test instead of shrinking it.
     */
    private static final int MESSAGE_FILES = 51;
    /** How long a message may take to be answered; silence after this counts as "dropped". */
    private static final Duration ANSWER_WAIT = Duration.ofMillis(1_000);
    private static final Duration HEALTH_WAIT = Duration.ofSeconds(5);
    /** Where UDP answers to a Via that could not be rewritten go (received=, default port). */
    private static final int DEFAULT_SIP_PORT = 5060;
    private static final Pattern TOP_VIA_SENT_BY = Pattern.compile(
            "(?im)^((?:via|v)[ \\t]*:[ \\t]*SIP[ \\t]*/[ \\t]*2\\.0[ \\t]*/[ \\t]*[A-Za-z]+[ \\t]+)([^;,\\s]+)");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(\\S+)");
    private static final Pattern INVITE_LINE = Pattern.compile("\\AINVITE \\S+ SIP/2\\.0\r\n");
    private static final String CALLABLE_URI = "sip:" + TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*+12066418000@"
            + TestNet.TRUNK_DOMAIN;

    /** One way of sending the set. */
    private enum Run {
        UDP_STRANGER("UDP from 127.0.0.9"),
        TCP_STRANGER("TCP from 127.0.0.9"),
        UDP_CUSTOMER("UDP from the customer PBX"),
        UDP_CUSTOMER_CALLABLE("UDP from the customer PBX, INVITE R-URI to a callable number");

        final String title;

        Run(String title) {
            this.title = title;
        }
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @Test
    void everyTortureMessageIsAnsweredSensiblyOrDroppedAndTheServerKeepsAnswering() throws Exception {
        TestNetProvisioning.ensure();
        List<Path> files = messages();
        assertEquals(MESSAGE_FILES, files.size(), "torture message files in " + MESSAGES);
        Map<String, Map<Run, String>> outcomes = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        List<String> atCarriers = new ArrayList<>();
        try (CarrierTrap carriers = new CarrierTrap();
             SipTestClient catchAll = new SipTestClient(Transport.UDP, TestNet.STRANGER, DEFAULT_SIP_PORT, trunk());
             SipTestClient customerCatchAll = new SipTestClient(Transport.UDP, TestNet.CUSTOMER_PBX, DEFAULT_SIP_PORT, trunk())) {
            for (Run run : Run.values()) {
                carriers.clear();
                for (Path file : files) {
                    String name = MESSAGES.relativize(file).toString();
                    byte[] original = toLoopback(Files.readAllBytes(file));
                    byte[] message = run == Run.UDP_CUSTOMER_CALLABLE ? callable(original) : original;
                    if (message == null) {
                        continue; // not an INVITE with a plain request line
                    }
                    String from = run == Run.UDP_STRANGER || run == Run.TCP_STRANGER ? TestNet.STRANGER : TestNet.CUSTOMER_PBX;
                    Transport transport = run == Run.TCP_STRANGER ? Transport.TCP : Transport.UDP;
                    List<String> answers = exchange(transport, from, message,
                            from.equals(TestNet.STRANGER) ? catchAll : customerCatchAll);
                    String outcome = answers.isEmpty() ? "no response" : String.join(", ", answers);
                    outcomes.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(run, outcome);
                    if (answers.stream().anyMatch(a -> a.startsWith("500"))) {
                        failures.add(name + " (" + run.title + "): OpenTrunk failed with " + outcome);
                    }
                    if (name.startsWith("invalid/") && answers.stream().anyMatch(a -> a.startsWith("2"))) {
                        failures.add(name + " (" + run.title + "): an invalid message was accepted: " + outcome);
                    }
                    if (!stillAnswers(transport, from)) {
                        failures.add(name + " (" + run.title + "): no 200 to OPTIONS afterwards");
                    }
                }
                Thread.sleep(300); // what the last message set off
                List<String> seen = carriers.seen();
                if (run == Run.UDP_STRANGER || run == Run.TCP_STRANGER) {
                    if (!seen.isEmpty()) {
                        failures.add(run.title + ": reached a carrier without authentication: " + seen);
                    }
                } else {
                    seen.forEach(s -> atCarriers.add(run.title + ": " + s));
                }
            }
        }
        writeReport(outcomes, atCarriers);
        System.out.println(Files.readString(REPORT));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    /** Sends one message on a fresh socket; returns the status lines answered to its Call-ID. */
    private static List<String> exchange(Transport transport, String from, byte[] message, SipTestClient catchAll)
            throws IOException {
        String callId = callId(message);
        List<String> answers = new ArrayList<>();
        try (SipTestClient client = new SipTestClient(transport, from, trunk())) {
            client.sendBytes(withTopViaAt(message, from + ":" + client.localPort()));
            long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
            while (System.nanoTime() < deadline && answers.stream().noneMatch(TortureMessagesIT::isFinal)) {
                for (SipTestClient socket : List.of(client, catchAll)) {
                    Optional<SipMessage> got = socket.receive(Duration.ofMillis(socket == client ? 100 : 1));
                    got.filter(m -> m.isResponse() && (callId == null || callId.equals(m.header("Call-ID").orElse(null))))
                            .ifPresent(m -> answers.add(m.startLine().substring("SIP/2.0 ".length())));
                }
            }
        }
        return answers;
    }

    private static boolean isFinal(String statusLine) {
        return !statusLine.startsWith("1");
    }

    private static boolean stillAnswers(Transport transport, String from) {
        try (SipTestClient probe = new SipTestClient(transport, from, trunk())) {
            SipMessage answer = probe.request(probe.newRequest("OPTIONS", "sip:" + TestNet.TRUNK_DOMAIN, "", ""), HEALTH_WAIT);
            return answer.status() == 200;
        } catch (IOException | AssertionError | UncheckedIOException e) {
            return false;
        }
    }

    /** The RFC's documentation addresses (192.0.2.x), which keep their length: whole message, body included. */
    private static final Pattern DOC_ADDRESS = Pattern.compile("192\\.0\\.2\\.");
    /** The RFC's example host names, anywhere in the header section. */
    private static final Pattern EXAMPLE_HOST = Pattern.compile(
            "(?i)(?<![A-Za-z0-9.-])(?:[A-Za-z0-9-]+\\.)*(?:example\\.(?:com|net|org|edu)|jasomi\\.com)(?![A-Za-z0-9-])");

    /**
     * Every address or host a server could answer or forward to (Via, Contact, Route, Record-Route,
     * Request-URI...) made a loopback one, so nothing OpenTrunk sends can leave 127.0.0.0/8:
     * 192.0.2.x becomes 127.0.2.x everywhere (same length, so the body's Content-Length still
     * holds), the example domains become 127.0.2.1 in the header section. Oddities of other hosts
     * (the thing some messages test) are kept; OpenTrunk never sends towards a host a message names,
     * only to the address a request came from.
     */
    static byte[] toLoopback(byte[] message) {
        String text = DOC_ADDRESS.matcher(new String(message, StandardCharsets.ISO_8859_1)).replaceAll("127.0.2.");
        int end = text.indexOf("\r\n\r\n");
        String headers = end < 0 ? text : text.substring(0, end);
        String rest = end < 0 ? "" : text.substring(end);
        return (EXAMPLE_HOST.matcher(headers).replaceAll("127.0.2.1") + rest).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The message with its top Via's sent-by replaced, when that Via is well-formed enough to find. */
    static byte[] withTopViaAt(byte[] message, String hostPort) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Matcher via = TOP_VIA_SENT_BY.matcher(text);
        if (!via.find()) {
            return message;
        }
        return (text.substring(0, via.start(2)) + hostPort + text.substring(via.end(2))).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An INVITE aimed at a number the customer may call, or null for anything else. */
    private static byte[] callable(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Matcher line = INVITE_LINE.matcher(text);
        if (!line.find()) {
            return null;
        }
        return ("INVITE " + CALLABLE_URI + " SIP/2.0\r\n" + text.substring(line.end())).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String callId(byte[] message) {
        Matcher m = CALL_ID.matcher(new String(message, StandardCharsets.ISO_8859_1));
        return m.find() ? m.group(1) : null;
    }

    private static void writeReport(Map<String, Map<Run, String>> outcomes, List<String> atCarriers) throws IOException {
        StringBuilder b = new StringBuilder("# RFC 4475 torture messages: what OpenTrunk answered\n\n");
        b.append("Status lines answered to each message's Call-ID within ").append(ANSWER_WAIT.toMillis())
                .append(" ms (\"no response\": dropped, or waiting for more bytes). Every message was followed by an OPTIONS")
                .append(" that got 200.\n\n| message |");
        for (Run run : Run.values()) {
            b.append(' ').append(run.title).append(" |");
        }
        b.append("\n|---|").append("---|".repeat(Run.values().length)).append('\n');
        outcomes.forEach((name, byRun) -> {
            b.append("| ").append(name).append(" |");
            for (Run run : Run.values()) {
                b.append(' ').append(byRun.getOrDefault(run, "-").replace("|", "\\|")).append(" |");
            }
            b.append('\n');
        });
        b.append("\nReached a carrier (all from the authenticated customer; none from the stranger):\n\n");
        if (atCarriers.isEmpty()) {
            b.append("- nothing\n");
        }
        atCarriers.forEach(s -> b.append("- ").append(s).append('\n'));
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, b.toString());
    }

    private static List<Path> messages() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> list = Files.list(MESSAGES.resolve(folder))) {
                list.filter(p -> p.toString().endsWith(".dat")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT);
    }

    private static Path resource(String name) {
        try {
            return Path.of(TortureMessagesIT.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
