package io.aiops.policy.api.redaction;

import io.aiops.policy.api.redaction.ContextWords.Signal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in detectors, one per {@link PiiKind}. Each finds candidates with patterns that start only at the
 * beginning of a token and never backtrack into a token (possessive or bounded quantifiers), so a text is read a
 * bounded number of times per character; checksums, number ranges and context words then decide.
 */
final class Detectors {

    private Detectors() {}

    /** Finds the values of one kind in a text. */
    interface Detector {
        void find(String text, Reads reads, List<Finding> out);
    }

    /** Hands out matchers whose reads of the text are counted (see {@link TextRedactor}). */
    interface Reads {
        Matcher matcher(Pattern pattern, String text);
    }

    private static final Map<PiiKind, Detector> BUILT_IN = new EnumMap<>(PiiKind.class);

    static {
        BUILT_IN.put(PiiKind.JWT, Detectors::jwts);
        BUILT_IN.put(PiiKind.API_KEY, Detectors::secrets);
        BUILT_IN.put(PiiKind.EMAIL, Detectors::emails);
        BUILT_IN.put(PiiKind.IBAN, Detectors::ibans);
        BUILT_IN.put(PiiKind.DE_SOCIAL_INSURANCE, Detectors::germanSocialInsurance);
        BUILT_IN.put(PiiKind.UK_NINO, Detectors::ukNino);
        BUILT_IN.put(PiiKind.US_SSN, Detectors::usSsn);
        BUILT_IN.put(PiiKind.CARD, Detectors::cards);
        BUILT_IN.put(PiiKind.DE_TAX_ID, Detectors::germanTaxId);
        BUILT_IN.put(PiiKind.PASSPORT, Detectors::passports);
        BUILT_IN.put(PiiKind.DATE_OF_BIRTH, Detectors::datesOfBirth);
        BUILT_IN.put(PiiKind.IP_ADDRESS, Detectors::ipAddresses);
        BUILT_IN.put(PiiKind.PHONE, Detectors::phones);
    }

    static Detector of(PiiKind kind) {
        return BUILT_IN.get(kind);
    }

    // --- JWT ---------------------------------------------------------------------------------------------------------

    private static final Pattern JWT =
            Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]*+");

    private static void jwts(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(JWT, text);
        while (m.find()) {
            String header = m.group().substring(0, m.group().indexOf('.'));
            if (decodesToJsonWith(header, "\"alg\"") || decodesToJsonWith(header, "\"typ\"")) {
                out.add(new Finding(PiiKind.JWT.name(), m.start(), m.end()));
            }
        }
    }

    private static boolean decodesToJsonWith(String base64Url, String field) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(base64Url.replace("=", "")), StandardCharsets.UTF_8);
            return json.startsWith("{") && json.contains(field);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // --- secrets -----------------------------------------------------------------------------------------------------

    private static final Pattern TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}+(?![A-Za-z0-9_-])");
    private static final Pattern PREFIXED_KEY =
            Pattern.compile("(?:sk|pk|rk|ak|aiops)[-_](?:(?:live|test|proj|ant|svcacct|admin)[-_])?[A-Za-z0-9_-]{16,}"
                    + "|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|xox[abeprs]-[A-Za-z0-9-]{10,}"
                    + "|glpat-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|npm_[A-Za-z0-9]{30,}|AIza[A-Za-z0-9_-]{35}"
                    + "|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}");
    private static final Pattern BEARER =
            Pattern.compile("(?i)(?<![A-Za-z])bearer[ \\t]{1,4}+([A-Za-z0-9._~+/-]{16,}+=*+)");
    private static final Pattern ASSIGNED_SECRET = Pattern.compile(
            "(?iu)(?<![\\p{L}])(?:password|passwort|kennwort|passwd|pwd|mot de passe|contraseña|wachtwoord|secret"
                    + "|client[_ -]secret|api[_ -]?key|access[_ -]?key|auth[_ -]?token|access[_ -]?token)\"?[ \\t]{0,4}+"
                    + "([:=]|is|ist|est|es)[ \\t]{0,4}+\"?([^\\s\"',;&]{6,}+)");
    private static final Pattern PRIVATE_KEY_BEGIN =
            Pattern.compile("-----BEGIN (?:[A-Z]{1,10} ){0,2}PRIVATE KEY-----");
    private static final Pattern PRIVATE_KEY_END = Pattern.compile("-----END (?:[A-Z]{1,10} ){0,2}PRIVATE KEY-----");
    private static final ContextWords SECRET_CONTEXT = ContextWords.of(
            List.of(
                    "key",
                    "api key",
                    "apikey",
                    "token",
                    "secret",
                    "password",
                    "credential",
                    "credentials",
                    "authorization",
                    "auth",
                    "schlüssel",
                    "clé",
                    "clave"),
            List.of(),
            30,
            0);

    private static void secrets(String text, Reads reads, List<Finding> out) {
        // a private key block runs from a BEGIN line to the next END line (each marker found once: linear)
        Matcher begin = reads.matcher(PRIVATE_KEY_BEGIN, text);
        Matcher blockEnd = reads.matcher(PRIVATE_KEY_END, text);
        int searchedTo = 0;
        while (begin.find(searchedTo)) {
            if (!blockEnd.find(begin.end())) {
                // cut off before its END line: everything from BEGIN on may be key material
                out.add(new Finding(PiiKind.API_KEY.name(), begin.start(), text.length()));
                break;
            }
            out.add(new Finding(PiiKind.API_KEY.name(), begin.start(), blockEnd.end()));
            searchedTo = blockEnd.end();
        }
        Matcher m = reads.matcher(TOKEN, text);
        while (m.find()) {
            String token = m.group();
            if (PREFIXED_KEY.matcher(token).matches()
                    || highEntropy(token)
                    || (token.length() >= 20
                            && hasDigitAndLetter(token)
                            && SECRET_CONTEXT.near(text, m.start(), m.end()) == Signal.POSITIVE)) {
                out.add(new Finding(PiiKind.API_KEY.name(), m.start(), m.end()));
            }
        }
        m = reads.matcher(BEARER, text);
        while (m.find()) {
            out.add(new Finding(
                    PiiKind.API_KEY.name(), m.start(1), withoutClosingPunctuation(text, m.start(1), m.end(1))));
        }
        m = reads.matcher(ASSIGNED_SECRET, text);
        while (m.find()) {
            // "password: x" takes any x; "the password is x" only an x with a digit or symbol, not "the password is
            // old"
            boolean assigned = m.group(1).equals(":") || m.group(1).equals("=");
            if (m.group(2).chars().distinct().count() == 1) {
                continue; // a placeholder such as ******** or xxxxxx
            }
            if (assigned || !m.group(2).chars().allMatch(Character::isLetter)) {
                int end = withoutClosingPunctuation(text, m.start(2), m.end(2));
                if (assigned
                        || !m.group(2).substring(0, end - m.start(2)).chars().allMatch(Character::isLetter)) {
                    out.add(new Finding(PiiKind.API_KEY.name(), m.start(2), end));
                }
            }
        }
    }

    /** The end of a value without the sentence's closing full stop or bracket. */
    private static int withoutClosingPunctuation(String text, int start, int end) {
        while (end > start + 6 && ".)".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return end;
    }

    /** 32+ characters with digits, upper and lower case letters: a random token, not a word, id or digest. */
    private static boolean highEntropy(String token) {
        return token.length() >= 32
                && token.chars().anyMatch(Character::isDigit)
                && token.chars().anyMatch(c -> c >= 'a' && c <= 'z')
                && token.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
    }

    private static boolean hasDigitAndLetter(String token) {
        return token.chars().anyMatch(Character::isDigit) && token.chars().anyMatch(Character::isLetter);
    }

    // --- e-mail ------------------------------------------------------------------------------------------------------

    private static final Pattern EMAIL =
            Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)++");

    private static void emails(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(EMAIL, text);
        while (m.find()) {
            String address = m.group();
            String topLevel = address.substring(address.lastIndexOf('.') + 1);
            if (topLevel.length() >= 2 && topLevel.chars().allMatch(Character::isLetter)) {
                out.add(new Finding(PiiKind.EMAIL.name(), m.start(), m.end()));
            }
        }
    }

    // --- IBAN --------------------------------------------------------------------------------------------------------

    private static final Pattern IBAN = Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}+");

    private static void ibans(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(IBAN, text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            from = m.end();
            int length = Checksums.ibanLength(m.group().substring(0, 2));
            if (length == 0) {
                continue;
            }
            // the pattern may run on into a following code ("... 00 BIC COBADEFF"): take exactly the country's length
            StringBuilder iban = new StringBuilder(length);
            int end = m.start();
            while (end < m.end() && iban.length() < length) {
                char c = text.charAt(end++);
                if (c != ' ') {
                    iban.append(c);
                }
            }
            boolean endsAtToken = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (iban.length() == length && endsAtToken && Checksums.ibanMod97(iban.toString())) {
                out.add(new Finding(PiiKind.IBAN.name(), m.start(), end));
                from = end; // the pattern may have run on into a next IBAN: continue right after this one
            }
        }
    }

    // --- national ids ------------------------------------------------------------------------------------------------

    private static final Pattern DE_SOCIAL_INSURANCE =
            Pattern.compile("(?<![A-Za-z0-9])([0-9]{2}) ?([0-9]{6}) ?([A-Z]) ?([0-9]{3})(?![A-Za-z0-9])");

    private static void germanSocialInsurance(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(DE_SOCIAL_INSURANCE, text);
        while (m.find()) {
            if (Checksums.deSocialInsurance(m.group(1), m.group(2), m.group(3).charAt(0), m.group(4))) {
                out.add(new Finding(PiiKind.DE_SOCIAL_INSURANCE.name(), m.start(), m.end()));
            }
        }
    }

    private static final Pattern UK_NINO = Pattern.compile(
            "(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])");
    private static final ContextWords NINO_CONTEXT = ContextWords.of(
            List.of("nino", "ni number", "national insurance", "national insurance number", "ni no"),
            ContextWords.ID_WORDS,
            30,
            0);

    private static void ukNino(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(UK_NINO, text);
        while (m.find()) {
            if (Checksums.ukNinoPrefix(m.group(1)) && NINO_CONTEXT.near(text, m.start(), m.end()) != Signal.NEGATIVE) {
                out.add(new Finding(PiiKind.UK_NINO.name(), m.start(), m.end()));
            }
        }
    }

    private static final Pattern US_SSN =
            Pattern.compile("(?<![A-Za-z0-9-])([0-9]{3})([- ]?)([0-9]{2})\\2([0-9]{4})(?![A-Za-z0-9]|-[0-9])");
    private static final ContextWords SSN_CONTEXT = ContextWords.of(
            List.of(
                    "ssn",
                    "ssn#",
                    "ss#",
                    "social security",
                    "social security number",
                    "social security no",
                    "soc sec",
                    "socsec",
                    "taxpayer",
                    "itin"),
            ContextWords.ID_WORDS,
            40,
            15);

    private static void usSsn(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(US_SSN, text);
        while (m.find()) {
            if (!Checksums.usSsn(m.group(1), m.group(3), m.group(4))) {
                continue;
            }
            Signal signal = SSN_CONTEXT.near(text, m.start(), m.end());
            boolean dashed = m.group(2).equals("-");
            if (signal == Signal.POSITIVE || (dashed && signal == Signal.NONE)) {
                out.add(new Finding(PiiKind.US_SSN.name(), m.start(), m.end()));
            }
        }
    }

    private static final Pattern DE_TAX_ID =
            Pattern.compile("(?<![A-Za-z0-9])([1-9][0-9])( ?)([0-9]{3})\\2([0-9]{3})\\2([0-9]{3})(?![A-Za-z0-9])");
    private static final ContextWords TAX_ID_CONTEXT = ContextWords.of(
            List.of(
                    "steuer-id",
                    "steuerid",
                    "steuer id",
                    "steuer-identifikationsnummer",
                    "steueridentifikationsnummer",
                    "identifikationsnummer",
                    "idnr",
                    "idnr.",
                    "id-nr",
                    "id-nr.",
                    "steuernummer",
                    "steuer-nr",
                    "steuer-nr.",
                    "tax id",
                    "tax-id",
                    "tax identification number",
                    "tin"),
            ContextWords.ID_WORDS,
            50,
            0);

    private static void germanTaxId(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(DE_TAX_ID, text);
        while (m.find()) {
            String digits = m.group(1) + m.group(3) + m.group(4) + m.group(5);
            if (Checksums.deTaxId(digits) && TAX_ID_CONTEXT.near(text, m.start(), m.end()) == Signal.POSITIVE) {
                out.add(new Finding(PiiKind.DE_TAX_ID.name(), m.start(), m.end()));
            }
        }
    }

    private static final Pattern PASSPORT =
            Pattern.compile("(?<![A-Za-z0-9])(?=[A-Z]{0,3}[0-9])[A-Z0-9]{6,9}+(?![A-Za-z0-9])");
    private static final ContextWords PASSPORT_CONTEXT = ContextWords.of(
            List.of(
                    "passport",
                    "passport no",
                    "passport no.",
                    "passport number",
                    "passport #",
                    "passport#",
                    "reisepass",
                    "reisepassnummer",
                    "pass-nr",
                    "pass-nr.",
                    "passnummer",
                    "passeport",
                    "pasaporte",
                    "paspoort",
                    "paspoortnummer",
                    "passaporto",
                    "passaporte",
                    "travel document"),
            List.of(),
            40,
            15);

    private static void passports(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(PASSPORT, text);
        while (m.find()) {
            long digits = m.group().chars().filter(Character::isDigit).count();
            if (digits >= 3 && PASSPORT_CONTEXT.near(text, m.start(), m.end()) == Signal.POSITIVE) {
                out.add(new Finding(PiiKind.PASSPORT.name(), m.start(), m.end()));
            }
        }
    }

    // --- dates of birth ----------------------------------------------------------------------------------------------

    private static final Pattern NUMERIC_DATE = Pattern.compile(
            "(?<![A-Za-z0-9.])(?:([0-9]{1,2})([./-])([0-9]{1,2})\\2([0-9]{4}|[0-9]{2})|([0-9]{4})-([0-9]{2})-([0-9]{2}))"
                    + "(?![A-Za-z0-9]|[./-][0-9])");
    private static final Set<String> MONTHS = Set.of(
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
            "januar",
            "jänner",
            "februar",
            "märz",
            "mai",
            "juni",
            "juli",
            "oktober",
            "dezember",
            "janvier",
            "février",
            "mars",
            "avril",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
            "januari",
            "februari",
            "maart",
            "mei",
            "augustus",
            "gennaio",
            "febbraio",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "settembre",
            "ottobre",
            "dicembre");
    /** "7. Mai 1962", "5 de junio de 1991", "22nd of October 1994", "March 3, 1970"; the word must be a month. */
    private static final Pattern WORDED_DATE = Pattern.compile(
            "(?iu)(?<![\\p{L}0-9])(?:[0-9]{1,2}(?:st|nd|rd|th|er)?\\.?[ \\t](?:de[ \\t]|of[ \\t])?(\\p{L}{3,10}+)\\.?,?[ \\t]"
                    + "(?:de[ \\t])?[0-9]{4}|(\\p{L}{3,10}+)\\.?[ \\t][0-9]{1,2}(?:st|nd|rd|th)?,?[ \\t][0-9]{4})(?![0-9])");

    private static final ContextWords BIRTH_CONTEXT = ContextWords.of(
            List.of(
                    "born",
                    "born on",
                    "dob",
                    "d.o.b.",
                    "d.o.b",
                    "date of birth",
                    "birth date",
                    "birthdate",
                    "birthday",
                    "geboren",
                    "geboren am",
                    "geb.",
                    "geburtsdatum",
                    "geburtstag",
                    "né",
                    "née",
                    "né le",
                    "née le",
                    "date de naissance",
                    "naissance",
                    "nacido",
                    "nacida",
                    "nacimiento",
                    "fecha de nacimiento",
                    "geboortedatum",
                    "geboren op",
                    "nato",
                    "nata",
                    "data di nascita",
                    "data de nascimento",
                    "nascimento",
                    "nascido",
                    "nascida"),
            List.of(),
            25,
            12);

    private static void datesOfBirth(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(NUMERIC_DATE, text);
        while (m.find()) {
            if (isNumericDate(m) && BIRTH_CONTEXT.near(text, m.start(), m.end()) == Signal.POSITIVE) {
                out.add(new Finding(PiiKind.DATE_OF_BIRTH.name(), m.start(), m.end()));
            }
        }
        m = reads.matcher(WORDED_DATE, text);
        while (m.find()) {
            String month = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
            if (MONTHS.contains(month) && BIRTH_CONTEXT.near(text, m.start(), m.end()) == Signal.POSITIVE) {
                out.add(new Finding(PiiKind.DATE_OF_BIRTH.name(), m.start(), m.end()));
            }
        }
    }

    /** Day-month-year, month-day-year or ISO year-month-day, each a real calendar date. */
    private static boolean isNumericDate(Matcher m) {
        if (m.group(5) != null) {
            return Checksums.plausibleDate(
                    Integer.parseInt(m.group(7)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(5)));
        }
        int first = Integer.parseInt(m.group(1));
        int second = Integer.parseInt(m.group(3));
        int year = Integer.parseInt(m.group(4));
        return Checksums.plausibleDate(first, second, year) || Checksums.plausibleDate(second, first, year);
    }

    // --- IP addresses ------------------------------------------------------------------------------------------------

    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 =
            Pattern.compile("(?<![A-Za-z0-9.])" + OCTET + "(?:\\." + OCTET + "){3}(?![A-Za-z0-9]|\\.[0-9])");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![A-Za-z0-9:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}+(?:\\.[0-9]{1,3}){0,3}+"
                    + "(?![A-Za-z0-9:])");
    private static final ContextWords VERSION_CONTEXT = ContextWords.of(
            List.of(
                    "ip",
                    "ip address",
                    "ip-adresse",
                    "adresse ip",
                    "dirección ip",
                    "host",
                    "server",
                    "client",
                    "from",
                    "von"),
            List.of(
                    "version",
                    "ver",
                    "ver.",
                    "v",
                    "release",
                    "build",
                    "firmware",
                    "patch",
                    "update",
                    "upgrade",
                    "sdk",
                    "versión",
                    "versão",
                    "versione",
                    "versie",
                    "fassung",
                    "oid",
                    "section",
                    "abschnitt",
                    "chapter",
                    "kapitel",
                    "§"),
            30,
            0);

    private static void ipAddresses(String text, Reads reads, List<Finding> out) {
        // IPv6 first: an IPv6 address may end in an IPv4 one (::ffff:192.0.2.128), the longer finding wins
        Matcher m = reads.matcher(IPV6, text);
        while (m.find()) {
            if (isIpv6(m.group())) {
                out.add(new Finding(PiiKind.IP_ADDRESS.name(), m.start(), m.end()));
            }
        }
        m = reads.matcher(IPV4, text);
        while (m.find()) {
            if (VERSION_CONTEXT.near(text, m.start(), m.end()) != Signal.NEGATIVE) {
                out.add(new Finding(PiiKind.IP_ADDRESS.name(), m.start(), m.end()));
            }
        }
    }

    /** Eight groups of up to four hex digits, or fewer with one {@code ::}; the last two may be an IPv4 address. */
    static boolean isIpv6(String candidate) {
        String address = candidate;
        int groupsNeeded = 8;
        int lastColon = address.lastIndexOf(':');
        if (address.indexOf('.') >= 0) {
            if (!IPV4.matcher(address.substring(lastColon + 1)).matches()) {
                return false;
            }
            address = address.substring(0, lastColon + 1) + "0:0";
        }
        if (address.contains(":::")) {
            return false;
        }
        int compressed = address.indexOf("::");
        if (compressed >= 0 && address.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        List<String> groups = new ArrayList<>();
        for (String part : address.split(":", -1)) {
            groups.add(part);
        }
        if (compressed < 0) {
            return groups.size() == groupsNeeded && groups.stream().allMatch(g -> !g.isEmpty() && g.length() <= 4);
        }
        long present = groups.stream().filter(g -> !g.isEmpty()).count();
        return present >= 1 && present <= 7 && groups.stream().allMatch(g -> g.length() <= 4) && address.length() >= 3;
    }

    // --- cards -------------------------------------------------------------------------------------------------------

    /** Digit groups separated by single spaces or dashes, starting only at the first group of a run. */
    private static final Pattern DIGIT_GROUPS =
            Pattern.compile("(?<![A-Za-z0-9])(?<![0-9][ -])[0-9]++(?:[ -][0-9]++)*+");

    private static final ContextWords CARD_CONTEXT = ContextWords.of(
            List.of(
                    "card",
                    "card number",
                    "credit",
                    "debit",
                    "visa",
                    "mastercard",
                    "master card",
                    "amex",
                    "american express",
                    "maestro",
                    "discover",
                    "jcb",
                    "diners",
                    "unionpay",
                    "cc",
                    "pan",
                    "karte",
                    "kreditkarte",
                    "kreditkartennummer",
                    "kartennummer",
                    "carte",
                    "carte bancaire",
                    "tarjeta",
                    "creditcard",
                    "kaart",
                    "carta"),
            ContextWords.ID_WORDS,
            40,
            20);

    private static void cards(String text, Reads reads, List<Finding> out) {
        Matcher m = reads.matcher(DIGIT_GROUPS, text);
        while (m.find()) {
            List<int[]> groups = groups(text, m.start(), m.end());
            if (m.end() < text.length() && Character.isLetter(text.charAt(m.end()))) {
                groups.removeLast(); // "1st", "2x": the last group belongs to a word
            }
            int i = 0;
            while (i < groups.size()) {
                int bestEnd = -1;
                StringBuilder digits = new StringBuilder();
                String bestDigits = null;
                for (int j = i; j < groups.size(); j++) {
                    digits.append(text, groups.get(j)[0], groups.get(j)[1]);
                    if (digits.length() > 19) {
                        break;
                    }
                    if (digits.length() >= 13
                            && Checksums.luhn(digits.toString())
                            && Checksums.cardIssuer(digits.toString())) {
                        bestEnd = j;
                        bestDigits = digits.toString();
                    }
                }
                if (bestEnd < 0) {
                    i++;
                    continue;
                }
                int start = groups.get(i)[0];
                int end = groups.get(bestEnd)[1];
                Signal signal = CARD_CONTEXT.near(text, start, end);
                if (signal == Signal.POSITIVE || (signal == Signal.NONE && !Checksums.zeebeKeyShape(bestDigits))) {
                    out.add(new Finding(PiiKind.CARD.name(), start, end));
                }
                i = bestEnd + 1;
            }
        }
    }

    /** The [start, end) of each digit run within [from, to). */
    private static List<int[]> groups(String text, int from, int to) {
        List<int[]> groups = new ArrayList<>();
        int i = from;
        while (i < to) {
            int start = i;
            while (i < to && Character.isDigit(text.charAt(i))) {
                i++;
            }
            groups.add(new int[] {start, i});
            i++;
        }
        return groups;
    }

    // --- phones ------------------------------------------------------------------------------------------------------

    private static final Pattern INTERNATIONAL_PHONE =
            Pattern.compile("(?<![A-Za-z0-9+])\\+[1-9](?:[ ()./-]{0,2}+[0-9]){5,16}+(?![0-9])");
    private static final Pattern NATIONAL_PHONE = Pattern.compile(
            "(?<![A-Za-z0-9+.,])(?:\\(0[0-9]{1,5}\\)|0[0-9]{1,5})(?:[ ./-]{0,3}+[0-9]){4,13}+(?![0-9]|[.,][0-9])");
    private static final Pattern NORTH_AMERICAN_PHONE = Pattern.compile(
            "(?<![A-Za-z0-9+.-])(?:\\([0-9]{3}\\) ?|[0-9]{3}[-. ])[0-9]{3}[-. ][0-9]{4}(?![0-9]|[.-][0-9])");
    private static final Pattern ANY_DIGITS =
            Pattern.compile("(?<![A-Za-z0-9+.,])(?<![0-9][ ./-])[0-9](?:[ ./-]?+[0-9]){6,14}+(?![0-9]|[.,][0-9])");
    private static final Pattern DATE_SHAPE =
            Pattern.compile("[0-9]{1,4}([./-])[0-9]{1,2}\\1[0-9]{1,4}|[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
    private static final ContextWords PHONE_CONTEXT = ContextWords.of(
            List.of(
                    "phone",
                    "phone number",
                    "tel",
                    "tel.",
                    "telephone",
                    "call",
                    "call me",
                    "mobile",
                    "mob",
                    "mob.",
                    "cell",
                    "fax",
                    "whatsapp",
                    "sms",
                    "text me",
                    "reach me",
                    "telefon",
                    "telefonnummer",
                    "tel.-nr.",
                    "handy",
                    "mobil",
                    "rufnummer",
                    "anrufen",
                    "erreichbar",
                    "téléphone",
                    "tél",
                    "tél.",
                    "portable",
                    "appelez",
                    "appeler",
                    "teléfono",
                    "telefono",
                    "móvil",
                    "movil",
                    "llame",
                    "llamar",
                    "telefoon",
                    "bel",
                    "mobiel",
                    "cellulare",
                    "telemóvel",
                    "telemovel",
                    "telefone",
                    "celular"),
            ContextWords.ID_WORDS,
            30,
            0);

    private static void phones(String text, Reads reads, List<Finding> out) {
        for (Pattern shape : List.of(INTERNATIONAL_PHONE, NATIONAL_PHONE, NORTH_AMERICAN_PHONE, ANY_DIGITS)) {
            Matcher m = reads.matcher(shape, text);
            while (m.find()) {
                String candidate = m.group();
                long digits = candidate.chars().filter(Character::isDigit).count();
                if (digits < 7 || digits > 15 || DATE_SHAPE.matcher(candidate).matches()) {
                    continue;
                }
                Signal signal = PHONE_CONTEXT.near(text, m.start(), m.end());
                boolean accepted = shape == ANY_DIGITS ? signal == Signal.POSITIVE : signal != Signal.NEGATIVE;
                if (accepted) {
                    out.add(new Finding(PiiKind.PHONE.name(), m.start(), m.end()));
                }
            }
        }
    }
}
