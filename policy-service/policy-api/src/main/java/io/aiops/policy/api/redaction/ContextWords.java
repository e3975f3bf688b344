package io.aiops.policy.api.redaction;

import java.util.List;
import java.util.Locale;

/**
 * Words near a candidate that make it more or less likely to be of a kind: "card" before sixteen digits, "instance"
 * before a Zeebe key. The nearest word within the window decides (a positive word wins a tie); the windows are a
 * fixed number of characters, so looking costs the same for every candidate.
 */
record ContextWords(List<String> positive, List<String> negative, int before, int after) {

    /** What the nearest context word says about a candidate. */
    enum Signal {
        POSITIVE,
        NEGATIVE,
        NONE
    }

    /** Words near numbers that are ids of things, not of people. */
    static final List<String> ID_WORDS = List.of(
            "order",
            "order no",
            "order number",
            "invoice",
            "instance",
            "process",
            "process instance",
            "key",
            "job",
            "ticket",
            "tracking",
            "reference",
            "ref",
            "ref.",
            "isbn",
            "version",
            "build",
            "sku",
            "po",
            "batch",
            "bestellung",
            "bestellnummer",
            "rechnung",
            "rechnungsnummer",
            "auftrag",
            "auftragsnummer",
            "vorgang",
            "sendungsnummer",
            "commande",
            "facture",
            "référence",
            "pedido",
            "factura",
            "referencia",
            "bestelling",
            "factuur",
            "ordine",
            "fattura",
            "prozessinstanz",
            "instanz",
            "schlüssel",
            "partita iva",
            "iva",
            "vat",
            "vat id",
            "ust-id",
            "ust-idnr",
            "ust-idnr.",
            "tva",
            "nif",
            "encomenda",
            "fatura",
            "pedido n.º");

    ContextWords {
        positive = List.copyOf(positive);
        negative = List.copyOf(negative);
    }

    static ContextWords of(List<String> positive, List<String> negative, int before, int after) {
        return new ContextWords(positive, negative, before, after);
    }

    /** The signal of the nearest context word around [start, end) of the text. */
    Signal near(String text, int start, int end) {
        int from = Math.max(0, start - before);
        String ahead = text.substring(from, start).toLowerCase(Locale.ROOT);
        String behind =
                text.substring(end, Math.min(text.length(), end + after)).toLowerCase(Locale.ROOT);
        int positiveDistance = nearest(ahead, behind, positive);
        int negativeDistance = nearest(ahead, behind, negative);
        if (positiveDistance == Integer.MAX_VALUE && negativeDistance == Integer.MAX_VALUE) {
            return Signal.NONE;
        }
        return positiveDistance <= negativeDistance ? Signal.POSITIVE : Signal.NEGATIVE;
    }

    private static int nearest(String ahead, String behind, List<String> words) {
        int best = Integer.MAX_VALUE;
        for (String word : words) {
            int at = ahead.lastIndexOf(word);
            while (at >= 0 && !isWord(ahead, at, word.length())) {
                at = at == 0 ? -1 : ahead.lastIndexOf(word, at - 1);
            }
            if (at >= 0) {
                best = Math.min(best, ahead.length() - (at + word.length()));
            }
            at = behind.indexOf(word);
            while (at >= 0 && !isWord(behind, at, word.length())) {
                at = behind.indexOf(word, at + 1);
            }
            if (at >= 0) {
                best = Math.min(best, at);
            }
        }
        return best;
    }

    /** Whether the word at [at, at + length) stands on its own (no letter or digit glued to either side). */
    private static boolean isWord(String text, int at, int length) {
        boolean startsFree = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
        int end = at + length;
        boolean endsFree = end >= text.length()
                || !Character.isLetterOrDigit(text.charAt(end))
                || !Character.isLetterOrDigit(text.charAt(end - 1));
        return startsFree && endsFree;
    }
}
