package io.aiops.policy.api.redaction;

import java.math.BigInteger;
import java.util.Map;

/** The check digits and number-range rules of the formats that have them. */
final class Checksums {

    private Checksums() {}

    /** IBAN length per country (SWIFT IBAN registry). */
    private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("AD", 24),
            Map.entry("AE", 23),
            Map.entry("AL", 28),
            Map.entry("AT", 20),
            Map.entry("AZ", 28),
            Map.entry("BA", 20),
            Map.entry("BE", 16),
            Map.entry("BG", 22),
            Map.entry("BH", 22),
            Map.entry("BI", 27),
            Map.entry("BR", 29),
            Map.entry("BY", 28),
            Map.entry("CH", 21),
            Map.entry("CR", 22),
            Map.entry("CY", 28),
            Map.entry("CZ", 24),
            Map.entry("DE", 22),
            Map.entry("DJ", 27),
            Map.entry("DK", 18),
            Map.entry("DO", 28),
            Map.entry("EE", 20),
            Map.entry("EG", 29),
            Map.entry("ES", 24),
            Map.entry("FI", 18),
            Map.entry("FK", 18),
            Map.entry("FO", 18),
            Map.entry("FR", 27),
            Map.entry("GB", 22),
            Map.entry("GE", 22),
            Map.entry("GI", 23),
            Map.entry("GL", 18),
            Map.entry("GR", 27),
            Map.entry("GT", 28),
            Map.entry("HN", 28),
            Map.entry("HR", 21),
            Map.entry("HU", 28),
            Map.entry("IE", 22),
            Map.entry("IL", 23),
            Map.entry("IQ", 23),
            Map.entry("IS", 26),
            Map.entry("IT", 27),
            Map.entry("JO", 30),
            Map.entry("KW", 30),
            Map.entry("KZ", 20),
            Map.entry("LB", 28),
            Map.entry("LC", 32),
            Map.entry("LI", 21),
            Map.entry("LT", 20),
            Map.entry("LU", 20),
            Map.entry("LV", 21),
            Map.entry("LY", 25),
            Map.entry("MC", 27),
            Map.entry("MD", 24),
            Map.entry("ME", 22),
            Map.entry("MK", 19),
            Map.entry("MN", 20),
            Map.entry("MR", 27),
            Map.entry("MT", 31),
            Map.entry("MU", 30),
            Map.entry("NI", 28),
            Map.entry("NL", 18),
            Map.entry("NO", 15),
            Map.entry("OM", 23),
            Map.entry("PK", 24),
            Map.entry("PL", 28),
            Map.entry("PS", 29),
            Map.entry("PT", 25),
            Map.entry("QA", 29),
            Map.entry("RO", 24),
            Map.entry("RS", 22),
            Map.entry("RU", 33),
            Map.entry("SA", 24),
            Map.entry("SC", 31),
            Map.entry("SD", 18),
            Map.entry("SE", 24),
            Map.entry("SI", 19),
            Map.entry("SK", 24),
            Map.entry("SM", 27),
            Map.entry("SO", 23),
            Map.entry("ST", 25),
            Map.entry("SV", 28),
            Map.entry("TL", 23),
            Map.entry("TN", 24),
            Map.entry("TR", 26),
            Map.entry("UA", 29),
            Map.entry("VA", 22),
            Map.entry("VG", 24),
            Map.entry("XK", 20),
            Map.entry("YE", 30));

    /** The IBAN length of a country, 0 when the country has no IBAN. */
    static int ibanLength(String country) {
        return IBAN_LENGTHS.getOrDefault(country, 0);
    }

    /** Mod-97 (ISO 7064) over an IBAN without spaces. */
    static boolean ibanMod97(String iban) {
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                numeric.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                numeric.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /**
     * Whether the digits start with the prefix of a card network that issues numbers of this length (Visa,
     * Mastercard incl. the 2-series, American Express, Discover, JCB, Diners, UnionPay, Maestro).
     */
    static boolean cardIssuer(String digits) {
        int n = digits.length();
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        if (digits.charAt(0) == '4') {
            return n == 13 || n == 16 || n == 19;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16;
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15;
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p4 >= 3528 && p4 <= 3589) || p2 == 62) {
            return n >= 16 && n <= 19;
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return n >= 14 && n <= 19;
        }
        if (p2 == 50 || (p2 >= 56 && p2 <= 69)) {
            return n >= 13 && n <= 19;
        }
        return false;
    }

    /**
     * Whether a 16-digit number has the shape of a Zeebe key: partition id (1..4) in the bits above 51 and a counter
     * below 2^40 in the rest. Zeebe keys of partition 1 start with 22517998 and fall into Mastercard's 2-series range.
     */
    static boolean zeebeKeyShape(String digits) {
        if (digits.length() != 16) {
            return false;
        }
        long value = Long.parseLong(digits);
        long partition = value >>> 51;
        long counter = value & ((1L << 51) - 1);
        return partition >= 1 && partition <= 4 && counter < (1L << 40);
    }

    /**
     * US social security number rules: area not 000, 666 or 900-999; group not 00; serial not 0000; and not one of
     * the numbers published as examples (078-05-1120, 219-09-9999, 123-45-6789).
     */
    static boolean usSsn(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        String all = area + group + serial;
        return a != 0
                && a != 666
                && a < 900
                && !group.equals("00")
                && !serial.equals("0000")
                && !all.equals("078051120")
                && !all.equals("219099999")
                && !all.equals("123456789");
    }

    /** UK NINO prefixes never issued (BG, GB, NK, KN, TN, NT, ZZ); the letter rules are in the pattern. */
    static boolean ukNinoPrefix(String prefix) {
        return switch (prefix) {
            case "BG", "GB", "NK", "KN", "TN", "NT", "ZZ" -> false;
            default -> true;
        };
    }

    /**
     * German tax id (Steuerliche Identifikationsnummer): 11 digits, the first not 0; in the first ten, one digit
     * appears twice or three times and the others at most once; the eleventh is the ISO 7064 MOD 11,10 check digit.
     */
    static boolean deTaxId(String digits) {
        if (digits.length() != 11 || digits.charAt(0) == '0') {
            return false;
        }
        int[] counts = new int[10];
        for (int i = 0; i < 10; i++) {
            counts[digits.charAt(i) - '0']++;
        }
        int repeated = 0;
        for (int c : counts) {
            if (c > 3) {
                return false;
            }
            if (c >= 2) {
                repeated++;
            }
        }
        if (repeated != 1) {
            return false;
        }
        int product = 10;
        for (int i = 0; i < 10; i++) {
            int sum = (digits.charAt(i) - '0' + product) % 10;
            if (sum == 0) {
                sum = 10;
            }
            product = (sum * 2) % 11;
        }
        int check = 11 - product;
        if (check == 10) {
            check = 0;
        }
        return check == digits.charAt(10) - '0';
    }

    /**
     * German social insurance number (Versicherungsnummer): area (2 digits), birth date DDMMYY (day may carry +50),
     * the first letter of the birth name, a serial (2 digits) and a check digit: weights 2,1,2,5,7,1,2,1,2,1,2,1 over
     * the digits with the letter as its two-digit alphabet position, cross sums of the products, modulo 10.
     */
    static boolean deSocialInsurance(String area, String birth, char letter, String serialAndCheck) {
        int day = Integer.parseInt(birth.substring(0, 2));
        int month = Integer.parseInt(birth.substring(2, 4));
        if (day > 50) {
            day -= 50;
        }
        if (day < 1 || day > 31 || month < 1 || month > 12) {
            return false;
        }
        int position = letter - 'A' + 1;
        String digits = area + birth + (position < 10 ? "0" : "") + position + serialAndCheck.substring(0, 2);
        int[] weights = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int product = (digits.charAt(i) - '0') * weights[i];
            sum += product / 10 + product % 10;
        }
        return sum % 10 == serialAndCheck.charAt(2) - '0';
    }

    /** Whether day, month and year form a calendar date between 1900 and 2099 (two-digit years accepted). */
    static boolean plausibleDate(int day, int month, int year) {
        if (year < 100) {
            year += 1900;
        }
        if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2099) {
            return false;
        }
        int[] days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return day <= days[month - 1];
    }
}
