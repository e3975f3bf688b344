package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.PolicyClient;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the {@value PolicyClient#ON_BEHALF_OF_HEADER} request header: UTF-8 percent-encoded (RFC 3986), so any name
 * fits in an HTTP header. Refuses, with the reason, a value that is not that, or that decodes to something no person is
 * called: blank, longer than {@value PolicyClient#MAX_ON_BEHALF_OF_CHARS} characters, or with control or invisible
 * formatting characters (a right-to-left override or a zero-width space would make one name look like another).
 */
final class OnBehalfOf {

    private OnBehalfOf() {}

    /** The person named, stripped of surrounding blanks. */
    static String parse(String header) {
        byte[] bytes = new byte[header.length()];
        int length = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '%') {
                if (i + 2 >= header.length()) {
                    throw new IllegalArgumentException("a % must be followed by two hex digits");
                }
                int high = Character.digit(header.charAt(i + 1), 16);
                int low = Character.digit(header.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("a % must be followed by two hex digits");
                }
                bytes[length++] = (byte) ((high << 4) | low);
                i += 2;
            } else if (c >= ' ' && c < 0x7f) {
                bytes[length++] = (byte) c;
            } else {
                throw new IllegalArgumentException(
                        "write the name as UTF-8, percent-encoded: the header has a character outside printable ASCII");
            }
        }
        String name;
        try {
            CharBuffer decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            name = decoded.toString().strip();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the percent-encoded bytes are not UTF-8");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name the person the request is made for");
        }
        if (name.codePointCount(0, name.length()) > PolicyClient.MAX_ON_BEHALF_OF_CHARS) {
            throw new IllegalArgumentException(
                    "at most " + PolicyClient.MAX_ON_BEHALF_OF_CHARS + " characters are kept; shorten the name");
        }
        if (!PolicyClient.looksLikeAName(name)) {
            throw new IllegalArgumentException(
                    "the name has control or invisible formatting characters (such as a direction override)");
        }
        return name;
    }
}
