package io.aiops.policy.api.redaction;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a {@link RedactionMode} to text. REDACTED replaces the values of the enabled {@link PiiKind}s and matches
 * of custom patterns by masks such as {@code <EMAIL:3fa1c2d9>}: the hex is the start of HMAC-SHA256(mask key, kind +
 * ":" + value), so one value always gets the same mask under one key and analysts can still join on it. Where
 * findings overlap, the kind declared first in {@link PiiKind} wins, custom patterns last. Text that already carries
 * masks is left as is around them, so applying the redaction twice (worker, then server) gives the same result.
 * Plain Java, shared by the worker and the policy service.
 *
 * <p>Every pattern reads the text through a counter: the built-in ones are written to read each character a bounded
 * number of times ({@link #BUILT_IN_READS_PER_CHAR}), a custom one may backtrack; either way, a pattern that uses up
 * its budget on a text leaves only the text's hash, never the text.
 */
public final class TextRedactor {

    /** Longest custom pattern accepted. */
    public static final int MAX_PATTERN_LENGTH = 500;

    private static final Pattern MASK = Pattern.compile("<[A-Z_]+[0-9]*:[0-9a-f]{8}>");
    private static final Pattern HASH_ONLY_FORM = Pattern.compile("\\[sha256=[0-9a-f]{64} chars=\\d+ utf8Bytes=\\d+]");

    /**
     * Character reads a custom pattern may make per character of the text (plus a fixed allowance) before it counts as
     * running away: a pattern with catastrophic backtracking, e.g. {@code (a+)+b}, would otherwise stall the worker.
     * Counting reads instead of time keeps the limit the same on every machine.
     */
    static final long CUSTOM_READS_PER_CHAR = 1_000;

    /** The same budget for each built-in pattern: they read a character a few times, this leaves a wide margin. */
    static final long BUILT_IN_READS_PER_CHAR = 64;

    private final byte[] maskKey;
    private final List<Detectors.Detector> builtIn;
    private final List<Pattern> custom;

    /**
     * Masks every {@link PiiKind}.
     *
     * @param maskKey key of the stable masks (the policy service hands each project's key out with the decision)
     * @param customPatterns extra regular expressions, masked as {@code CUSTOM1}, {@code CUSTOM2}, ... in order
     * @throws IllegalArgumentException when a custom pattern is not a valid regular expression or too long
     */
    public TextRedactor(byte[] maskKey, List<String> customPatterns) {
        this(maskKey, customPatterns, EnumSet.allOf(PiiKind.class));
    }

    /**
     * @param kinds the built-in kinds to mask (null: all of them)
     * @throws IllegalArgumentException when a custom pattern is not a valid regular expression or too long
     */
    public TextRedactor(byte[] maskKey, List<String> customPatterns, Set<PiiKind> kinds) {
        if (maskKey == null || maskKey.length == 0) {
            throw new IllegalArgumentException("a mask key is required");
        }
        this.maskKey = maskKey.clone();
        Set<PiiKind> enabled = EnumSet.noneOf(PiiKind.class);
        enabled.addAll(kinds == null ? EnumSet.allOf(PiiKind.class) : kinds);
        this.builtIn = enabled.stream().map(Detectors::of).toList();
        List<String> patterns = customPatterns == null ? List.of() : customPatterns;
        this.custom = patterns.stream().map(TextRedactor::compileCustom).toList();
    }

    /**
     * Compiles one custom pattern.
     *
     * @throws IllegalArgumentException naming why the pattern is refused
     */
    public static Pattern compileCustom(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("a custom pattern must not be empty");
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException(
                    "a custom pattern may have at most " + MAX_PATTERN_LENGTH + " characters");
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription(), e);
        }
    }

    /** The text as the mode keeps it; null stays null. */
    public String apply(RedactionMode mode, String text) {
        if (text == null || mode == null || mode == RedactionMode.FULL) {
            return text;
        }
        return mode == RedactionMode.REDACTED ? redact(text) : hashOnly(text);
    }

    /**
     * Replaces every detected value by its mask. When a pattern runs away on the text (see
     * {@link #CUSTOM_READS_PER_CHAR}), what it would have masked is unknown, so the text is kept only as its hash.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        List<Finding> findings;
        try {
            findings = findings(text);
        } catch (ReadLimitedText.RanAway e) {
            return hashOnly(text);
        }
        if (findings.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (Finding f : findings) {
            out.append(text, from, f.start()).append(mask(f.label(), text.substring(f.start(), f.end())));
            from = f.end();
        }
        return out.append(text, from, text.length()).toString();
    }

    /**
     * The values {@link #redact} masks, in text order, none overlapping another or an existing mask.
     *
     * @throws ReadLimitedText.RanAway when a pattern used up its read budget on the text
     */
    List<Finding> findings(String text) {
        if (HASH_ONLY_FORM.matcher(text).matches()) {
            return List.of();
        }
        List<Finding> found = new ArrayList<>();
        Matcher masks = MASK.matcher(text);
        int from = 0;
        while (masks.find()) {
            findIn(text.substring(from, masks.start()), from, found);
            from = masks.end();
        }
        findIn(text.substring(from), from, found);
        return found;
    }

    /** Adds what the segment at offset holds, kinds in priority order; an overlapping later finding is dropped. */
    private void findIn(String segment, int offset, List<Finding> found) {
        if (segment.isEmpty()) {
            return;
        }
        List<Finding> accepted = new ArrayList<>();
        List<Finding> candidates = new ArrayList<>();
        Detectors.Reads builtInReads = (pattern, text) -> pattern.matcher(limited(text, BUILT_IN_READS_PER_CHAR));
        for (Detectors.Detector detector : builtIn) {
            candidates.clear();
            detector.find(segment, builtInReads, candidates);
            addNonOverlapping(segment, candidates, accepted);
        }
        for (int i = 0; i < custom.size(); i++) {
            candidates.clear();
            Matcher m = custom.get(i).matcher(limited(segment, CUSTOM_READS_PER_CHAR));
            while (m.find()) {
                if (m.end() > m.start()) {
                    candidates.add(new Finding("CUSTOM" + (i + 1), m.start(), m.end()));
                }
            }
            addNonOverlapping(segment, candidates, accepted);
        }
        accepted.sort(Comparator.comparingInt(Finding::start));
        for (Finding f : accepted) {
            found.add(new Finding(f.label(), f.start() + offset, f.end() + offset));
        }
    }

    /**
     * Adds each candidate where it does not overlap what was accepted before; of one that does, the parts outside the
     * accepted findings are masked on their own, so no part of a detected value stays in clear.
     */
    private static void addNonOverlapping(String segment, List<Finding> candidates, List<Finding> accepted) {
        for (Finding candidate : candidates) {
            List<Finding> overlapping = new ArrayList<>();
            for (Finding f : accepted) {
                if (candidate.overlaps(f)) {
                    overlapping.add(f);
                }
            }
            if (overlapping.isEmpty()) {
                accepted.add(candidate);
                continue;
            }
            overlapping.sort(Comparator.comparingInt(Finding::start));
            int from = candidate.start();
            for (Finding f : overlapping) {
                addRemainder(segment, candidate.label(), from, f.start(), accepted);
                from = Math.max(from, f.end());
            }
            addRemainder(segment, candidate.label(), from, candidate.end(), accepted);
        }
    }

    private static void addRemainder(String segment, String label, int start, int end, List<Finding> accepted) {
        if (end <= start) {
            return;
        }
        for (int i = start; i < end; i++) {
            if (Character.isLetterOrDigit(segment.charAt(i))) {
                accepted.add(new Finding(label, start, end));
                return;
            }
        }
    }

    private static CharSequence limited(String text, long readsPerChar) {
        return new ReadLimitedText(text, readsPerChar * ((long) text.length() + 100));
    }

    /**
     * {@code [sha256=<hex> chars=<n> utf8Bytes=<n>]}; text already in this form is kept, so the server can apply the
     * mode again to what a worker sent.
     */
    public static String hashOnly(String text) {
        if (text == null || HASH_ONLY_FORM.matcher(text).matches()) {
            return text;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try {
            String hex = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
            return "[sha256=" + hex + " chars=" + text.length() + " utf8Bytes=" + utf8.length + "]";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The mask of one value of one kind. */
    public String mask(String label, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(maskKey, "HmacSHA256"));
            byte[] digest = mac.doFinal((label + ":" + value).getBytes(StandardCharsets.UTF_8));
            return "<" + label + ":" + HexFormat.of().formatHex(digest, 0, 4) + ">";
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
