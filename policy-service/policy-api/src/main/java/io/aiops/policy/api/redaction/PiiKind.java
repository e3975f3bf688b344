package io.aiops.policy.api.redaction;

/**
 * The kinds of personal data and secrets REDACTED mode finds. The name is the label of the mask
 * ({@code <EMAIL:3fa1c2d9>}); a project may narrow the kinds it masks, custom patterns come on top. Where two
 * findings overlap, the kind declared first wins (custom patterns last).
 */
public enum PiiKind {
    /** JSON Web Tokens ({@code eyJ...}). */
    JWT,
    /** Private keys, provider and cloud keys by their prefixes, bearer tokens, high-entropy tokens, "password: x". */
    API_KEY,
    /** E-mail addresses. */
    EMAIL,
    /** IBANs: per-country length and the mod-97 check. */
    IBAN,
    /** German social insurance numbers (Rentenversicherungsnummer): birth date, letter and check digit. */
    DE_SOCIAL_INSURANCE,
    /** UK National Insurance numbers: the prefixes HMRC never issues are left alone. */
    UK_NINO,
    /** US social security numbers: area, group and serial rules; without dashes only next to a context word. */
    US_SSN,
    /** Payment card numbers: Luhn and issuer prefix with its lengths; a Zeebe key shape needs a card word nearby. */
    CARD,
    /** German tax ids (Steuer-ID): the digit rule and ISO 7064 check digit, next to a context word. */
    DE_TAX_ID,
    /** Passport numbers, next to a context word ("passport", "Reisepass", "passeport", ...). */
    PASSPORT,
    /** Dates next to a birth context word ("born", "DOB", "geboren", "né le", ...). */
    DATE_OF_BIRTH,
    /** IPv4 and IPv6 addresses (not version numbers next to "version", "v", "release"). */
    IP_ADDRESS,
    /** Phone numbers: international, national with a trunk zero, North American, or any digits after "phone". */
    PHONE
}
