package io.aiops.policy.api.redaction;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How fast REDACTED mode runs in a worker: MB of text per second for ordinary prose with personal data (the labelled
 * corpus without its labels, repeated to about 1 MB) and for texts that are a single run of what a pattern starts
 * with. Run from the policy-api directory (see docs/benchmarks.md):
 * {@code java -cp target/test-classes:target/classes io.aiops.policy.api.redaction.RedactionThroughput}.
 */
public final class RedactionThroughput {

    private RedactionThroughput() {}

    public static void main(String[] args) throws IOException {
        TextRedactor redactor = new TextRedactor("bench".getBytes(StandardCharsets.UTF_8), List.of("ORD-[0-9]{6}"));
        String prose;
        try (InputStream in = RedactionThroughput.class.getResourceAsStream("/redaction/corpus.txt")) {
            StringBuilder text = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    text.append(line.substring(line.indexOf(" | ") + 3).replaceAll("\\[\\[[A-Z_]+\\|(.+?)]]", "$1"))
                            .append('\n');
                }
            }
            prose = text.toString().repeat(1_000_000 / text.length() + 1);
        }
        measure("prose with personal data", redactor, prose);
        for (String unit : List.of("1 ", "a@b.", "Process instance 2251799813685251 ", "+1 ", "eyJa.")) {
            measure("run of '" + unit + "'", redactor, unit.repeat(1_000_000 / unit.length()));
        }
    }

    private static void measure(String name, TextRedactor redactor, String text) {
        int masks = 0;
        for (int i = 0; i < 5; i++) {
            masks = count(redactor.redact(text));
        }
        int rounds = 10;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            redactor.redact(text);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%-45s %8.2f MB/s  (%,d chars, %,d masks)%n",
                name,
                text.length() * (double) rounds / seconds / 1e6,
                text.length(),
                masks);
    }

    private static int count(String redacted) {
        int n = 0;
        for (int at = redacted.indexOf(":"); at >= 0; at = redacted.indexOf(":", at + 1)) {
            if (at > 0 && redacted.charAt(at - 1) != ' ' && redacted.indexOf('>', at) == at + 9) {
                n++;
            }
        }
        return n;
    }
}
