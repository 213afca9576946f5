// SPDX-License-Identifier: Apache-2.0
package io.wiretop.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.wiretop.text.SafeText;

/**
 * JSON string escaping for text from processes: Jackson already writes C0 controls as {@code \}u00XX;
 * this adds every other character {@link SafeText#isUnsafe} names (DEL, C1 controls, bidi controls,
 * line separators), so {@code --json} piped to a terminal cannot drive it either. JSON's own
 * {@code \}uXXXX escapes keep the values exact for a parser. Stateless.
 */
final class JsonEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    JsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return SafeText.isUnsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
