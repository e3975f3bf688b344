package io.aiops.policy.api.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextRedactorTest {

    private static final byte[] KEY = "project-key".getBytes(StandardCharsets.UTF_8);
    private final TextRedactor redactor = new TextRedactor(KEY, List.of("ORD-[0-9]{6}"));

    static final String PII =
            "Mail jane.doe@example.com or call +49 30 1234 5678, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00,"
                    + " key sk-proj-AbCdEf0123456789XyZ, order ORD-123456.";

    @Test
    void everyBuiltInDetectorAndCustomPatternIsMasked() {
        String redacted = redactor.redact(PII);

        assertThat(redacted)
                .doesNotContain(
                        "jane.doe",
                        "example.com",
                        "1234 5678",
                        "4111",
                        "DE89",
                        "0532",
                        "AbCdEf0123456789",
                        "ORD-123456")
                .contains("<EMAIL:", "<PHONE:", "<CARD:", "<IBAN:", "<API_KEY:", "<CUSTOM1:")
                .startsWith("Mail <EMAIL:");
    }

    @Test
    void masksAreStablePerValueAndKeyAndRedactingTwiceChangesNothing() {
        String once = redactor.redact("a jane@example.com b jane@example.com c bob@example.com");
        String[] parts = once.split(" ");
        assertThat(parts[1]).isEqualTo(parts[3]).isNotEqualTo(parts[5]);
        assertThat(redactor.redact(once)).isEqualTo(once);
        String otherKey =
                new TextRedactor("other".getBytes(StandardCharsets.UTF_8), List.of()).redact("jane@example.com");
        assertThat(otherKey).isNotEqualTo(parts[1]);
    }

    @Test
    void checksumsKeepOrdinaryNumbersReadable() {
        // fails Luhn, fails mod-97, a date and a plain count
        String text = "ref 4111 1111 1111 1112, GB12 3456 7890 1234 5678 90, on 2026-11-26 we saw 1234567 tokens";
        assertThat(redactor.redact(text)).isEqualTo(text);
    }

    /**
     * Texts built to make patterns backtrack: long runs of what each detector starts with. Every built-in pattern may
     * read each character at most {@link TextRedactor#BUILT_IN_READS_PER_CHAR} times; going over would leave the hash.
     * A pattern that is quadratic in a run's length would need ~100,000 reads per character here.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "1",
                "1 ",
                "1-",
                "1.",
                "1:",
                "f:",
                ":",
                "a@",
                "a.",
                "a@b.",
                "+1 ",
                "0 ",
                "0/ ",
                "eyJ",
                "eyJa.",
                "sk-",
                "password: ",
                "Bearer ",
                "-----BEGIN PRIVATE KEY-----",
                "DE89 ",
                "AB12",
                "12 ",
                "March 3, ",
                "1. Mai ",
                "born ",
                "Process instance 2251799813685251 ",
                "4111 ",
                "passport C0 ",
                "::ffff:1.2."
            })
    void builtInDetectorsReadEachCharacterABoundedNumberOfTimes(String unit) {
        String text = unit.repeat(200_000 / unit.length());

        String redacted = redactor.redact(text);

        assertThat(redacted).doesNotStartWith("[sha256=");
    }

    @Test
    void aProcessInstanceKeyStaysWhileACardInTheSameSentenceIsMasked() {
        String text = "Process instance 2251799813685251 failed for card 4111 1111 1111 1111.";

        assertThat(redactor.redact(text))
                .startsWith("Process instance 2251799813685251 failed for card <CARD:")
                .doesNotContain("4111");
        // the key passes Luhn and has a Mastercard prefix: only its Zeebe shape and the word before it keep it
        assertThat(Checksums.luhn("2251799813685251")).isTrue();
        assertThat(Checksums.cardIssuer("2251799813685251")).isTrue();
        assertThat(redactor.redact("see 2251799813685251")).isEqualTo("see 2251799813685251");
        assertThat(redactor.redact("Mastercard 2251799813685251")).startsWith("Mastercard <CARD:");
    }

    @Test
    void checkRulesOfTheNationalIds() {
        assertThat(Checksums.deTaxId("86095742719")).isTrue();
        assertThat(Checksums.deTaxId("86095742718")).isFalse();
        assertThat(Checksums.deTaxId("12345678901")).as("no repeated digit").isFalse();
        assertThat(Checksums.deSocialInsurance("15", "070649", 'C', "103")).isTrue();
        assertThat(Checksums.deSocialInsurance("15", "070649", 'C', "104")).isFalse();
        assertThat(Checksums.usSsn("536", "90", "4399")).isTrue();
        assertThat(Checksums.usSsn("666", "90", "4399")).isFalse();
        assertThat(Checksums.usSsn("536", "00", "4399")).isFalse();
        assertThat(Checksums.ibanLength("DE")).isEqualTo(22);
        assertThat(Detectors.isIpv6("2001:db8::1")).isTrue();
        assertThat(Detectors.isIpv6("12:30:45")).isFalse();
    }

    @Test
    void aProjectCanNarrowTheKinds() {
        TextRedactor emailOnly = new TextRedactor(KEY, List.of(), EnumSet.of(PiiKind.EMAIL));

        assertThat(emailOnly.redact(PII)).contains("<EMAIL:", "+49 30 1234 5678", "4111 1111 1111 1111");
        assertThat(new TextRedactor(KEY, List.of("ORD-[0-9]{6}"), EnumSet.noneOf(PiiKind.class)).redact(PII))
                .contains("jane.doe@example.com", "<CUSTOM1:");
    }

    @Test
    void noPartOfADetectedValueStaysInClear() {
        assertThat(redactor.redact("DE89370400440532013000 DE89370400440532013000"))
                .doesNotContain("DE89", "0532")
                .matches("<IBAN:[0-9a-f]{8}> <IBAN:[0-9a-f]{8}>");
        assertThat(redactor.redact("DE89 3704 0044 0532 0130 00 DE89 3704 0044 0532 0130 00"))
                .doesNotContain("0532");
        assertThat(redactor.redact("card 4111 1111 1111 1111 1st payment, 4111 1111 1111 1111 2x"))
                .doesNotContain("4111")
                .contains("1st payment");
        String longSecret = "Ab1+/".repeat(30);
        assertThat(redactor.redact("password=" + longSecret)).doesNotContain("Ab1+/");
        assertThat(redactor.redact("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA+abc/def\nxyz"))
                .isEqualTo("key:\n"
                        + redactor.mask("API_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA+abc/def\nxyz"));
        // a custom pattern that overlaps a built-in finding: the built-in mask stands, the rest is masked as the custom
        // one
        TextRedactor customers = new TextRedactor(KEY, List.of("Kunde [0-9]+ [A-Z][a-z]+ [A-Z][a-z]+, [^ ]+"));
        assertThat(customers.redact("Kunde 4711 Max Mustermann, max@example.com"))
                .matches("<CUSTOM1:[0-9a-f]{8}><EMAIL:[0-9a-f]{8}>");
    }

    @Test
    void nulAndLoneSurrogatesAroundValuesAreKeptAndTheValuesMasked() {
        String text = "\u0000jane@example.com\uD800 card 4111 1111 1111 1111\uDC00\u0000";

        String redacted = redactor.redact(text);

        assertThat(redacted)
                .startsWith("\u0000<EMAIL:")
                .contains("\uD800 card <CARD:")
                .endsWith(">\uDC00\u0000")
                .doesNotContain("jane", "4111");
    }

    @Test
    void hashOnlyKeepsDigestAndLengthsAndIsIdempotent() {
        String hashed = TextRedactor.hashOnly("héllo");
        assertThat(hashed)
                .isEqualTo(
                        "[sha256=3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179 chars=5 utf8Bytes=6]");
        assertThat(hashed)
                .matches("\\[sha256=[0-9a-f]{64} chars=5 utf8Bytes=6]")
                .doesNotContain("llo");
        assertThat(TextRedactor.hashOnly(hashed)).isEqualTo(hashed);
        assertThat(redactor.apply(RedactionMode.HASH_ONLY, "héllo")).isEqualTo(hashed);
        assertThat(redactor.apply(RedactionMode.FULL, "héllo")).isEqualTo("héllo");
    }

    @Test
    void invalidCustomPatternIsRefusedWithItsReason() {
        assertThatThrownBy(() -> new TextRedactor(KEY, List.of("ORD-[0-9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid regular expression");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aCustomPatternThatRunsAwayLeavesOnlyTheHashNotTheText() {
        // (.*a){20}$ backtracks polynomially to the 20th power on a run of a's that does not end the text: 29 of them
        // already take about 30 s unguarded
        TextRedactor slow = new TextRedactor(KEY, List.of("(.*a){20}$"));
        String text = "ticket from jane@example.com: " + "a".repeat(40) + "!";

        String kept = slow.redact(text);

        assertThat(kept).isEqualTo(TextRedactor.hashOnly(text)).doesNotContain("jane@example.com");
        // where the pattern finishes, the text is redacted as usual
        assertThat(slow.redact("mail jane@example.com")).startsWith("mail <EMAIL:");
    }
}
