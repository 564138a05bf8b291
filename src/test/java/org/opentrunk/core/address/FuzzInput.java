package org.opentrunk.core.address;

import java.util.List;
import java.util.Random;

/**
 * Inputs for the seeded fuzz tests: random strings weighted towards the characters that matter to
 * SIP header syntax, and real-world header values with random edits. The seed is fixed so that a
 * failure reproduces.
 */
public final class FuzzInput {

    public static final long SEED = 20240611L;

    private FuzzInput() {
    }

    /** Real-world values to mutate. */
    public static final List<String> SEEDS = List.of(
            "\"Alice Smith\" <sip:+12065550100@203.0.113.5>;tag=as6f8e2b1c",
            "\"Doe, John \\\"JD\\\"\" <sip:2065550100@pbx.example.com:5060;user=phone>;tag=1",
            "<sip:+12065550100@10.0.0.1;user=phone>, <tel:+12065550100>",
            "sip:12065550100@10.1.1.1;tag=abc",
            "\"Alice\" <sip:2065550100@10.1.1.1>;party=calling;screen=no;privacy=off",
            "<sip:+12065550111@pbx>;reason=unconditional;counter=1,\"Bob\" <sip:+1206@pbx>;reason=\"user-busy\"",
            "<sip:12345678%2312066418000@trunk.example.net>",
            "<sip:alice@[2001:db8::1]:5070;transport=tcp?Subject=hello>",
            "<tel:+1-206-555-0100;oli=00>",
            "Anonymous <sip:anonymous@anonymous.invalid>;tag=1");

    public static final String ALPHABET = "\"<>,;:=@ \t\\%?[]+.-_*#/&'~!()abcsipteluAZ0123456789";

    /** A random string: mostly SIP-significant characters, sometimes anything at all. */
    public static String randomText(Random random) {
        int length = random.nextInt(60);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(20);
            if (pick == 0) {
                out.append((char) random.nextInt(0x10000)); // controls, surrogates, anything
            } else if (pick == 1) {
                out.append((char) random.nextInt(0x20));
            } else {
                out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return out.toString();
    }

    /** A real-world value with a few random edits. */
    public static String mutated(Random random) {
        StringBuilder out = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = out.length() == 0 ? 0 : random.nextInt(out.length());
            char c = random.nextInt(10) == 0 ? (char) random.nextInt(0x10000) : ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, c);
                case 1 -> {
                    if (out.length() > 0) {
                        out.deleteCharAt(at);
                    }
                }
                default -> {
                    if (out.length() > 0) {
                        out.setCharAt(at, c);
                    }
                }
            }
        }
        return out.toString();
    }

    public static String next(Random random) {
        return random.nextBoolean() ? randomText(random) : mutated(random);
    }

}
