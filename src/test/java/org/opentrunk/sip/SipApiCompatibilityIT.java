package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * OpenTrunk compiles against a JSR 289 API jar from Maven Central (Liberty's own is not published
 * there). Everything that jar declares must exist with the same signature in the API Liberty
 * provides at run time, or code that compiles could fail with NoSuchMethodError in production.
 * Declared (unchecked) exceptions are not part of binary compatibility and are ignored.
 *
 * <p>Constant fields ({@code static final} primitives and Strings) are copied into our classes
 * by javac, so a constant Liberty spells differently is no run-time risk; the known ones are
 * listed so that a new difference still shows up.
 */
class SipApiCompatibilityIT {

    /** Response-code constants whose names differ between the two jars (both spell the RFC's 480 and 604). */
    private static final List<String> KNOWN_CONSTANT_DIFFERENCES = List.of(
            "javax.servlet.sip.SipServletResponse#SC_DOES_NOT_EXIST_ANYWHERE:int",
            "javax.servlet.sip.SipServletResponse#SC_TEMPORARILY_UNAVAILABLE:int");

    private static final Path LIBERTY_SPEC_DIR = Path.of(System.getProperty("arq.wlpHome", "target/liberty/wlp"), "dev/api/spec");

    @Test
    void everyTypeAndMemberWeCompileAgainstExistsInLibertysApi() throws Exception {
        Path compileJar = Path.of(javax.servlet.sip.SipServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path libertyJar;
        try (Stream<Path> files = Files.list(LIBERTY_SPEC_DIR)) {
            libertyJar = files.filter(p -> p.getFileName().toString().startsWith("com.ibm.websphere.javaee.servlet.sip.1.1_"))
                    .findFirst().orElseThrow(() -> new AssertionError("Liberty's JSR 289 API jar not found in " + LIBERTY_SPEC_DIR));
        }
        URL servletApi = javax.servlet.Servlet.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader base = new URLClassLoader(new URL[] {servletApi}, ClassLoader.getPlatformClassLoader());

        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (URLClassLoader compile = new URLClassLoader(new URL[] {compileJar.toUri().toURL()}, base);
             URLClassLoader runtime = new URLClassLoader(new URL[] {libertyJar.toUri().toURL()}, base)) {
            for (String className : apiClasses(compileJar)) {
                Class<?> ours = compile.loadClass(className);
                if (!Modifier.isPublic(ours.getModifiers())) {
                    continue;
                }
                Class<?> theirs;
                try {
                    theirs = runtime.loadClass(className);
                } catch (ClassNotFoundException e) {
                    missing.add(className);
                    continue;
                }
                Set<String> available = members(theirs);
                for (String member : members(ours)) {
                    checked++;
                    if (!available.contains(member)) {
                        missing.add(className + "#" + member);
                    }
                }
            }
        }
        assertTrue(checked > 500, "the comparison saw the API: " + checked + " members");
        missing.removeAll(KNOWN_CONSTANT_DIFFERENCES);
        assertEquals(List.of(), missing, "declared in the compile-time API but absent from Liberty's");
    }

    private static List<String> apiClasses(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("javax/servlet/sip/") && n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - 6).replace('/', '.'))
                    .sorted().toList();
        }
    }

    /** Public methods and fields, as name + erased parameter and return types. */
    private static Set<String> members(Class<?> type) {
        Set<String> members = new TreeSet<>();
        for (Method m : type.getMethods()) {
            members.add(m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName)
                    .collect(Collectors.joining(",", "(", ")")) + m.getReturnType().getName());
        }
        for (Field f : type.getFields()) {
            members.add(f.getName() + ":" + f.getType().getName());
        }
        return members;
    }
}
