// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import java.util.ArrayList;
import java.util.List;

/** Splits a filter expression into tokens that remember their start position. */
final class FilterLexer {
    enum Type { LPAREN, RPAREN, COMMA, OP, WORD, STRING, EOF }

    /** One token; {@code text} is the unquoted value for strings. */
    record Token(Type type, String text, int pos) {
        boolean isWord(String w) {
            return type == Type.WORD && text.equalsIgnoreCase(w);
        }

        /** How the token looked in the input, for error messages. */
        String shown() {
            return switch (type) {
                case EOF -> "end of expression";
                case STRING -> "'" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    private static final String SPECIAL = "()=!<>,'\"";

    private FilterLexer() {
    }

    static List<Token> tokenize(String s) throws FilterSyntaxException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                out.add(new Token(Type.LPAREN, "(", i++));
            } else if (c == ')') {
                out.add(new Token(Type.RPAREN, ")", i++));
            } else if (c == ',') {
                out.add(new Token(Type.COMMA, ",", i++));
            } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                int start = i;
                boolean eq = i + 1 < n && s.charAt(i + 1) == '=';
                if (c == '!' && !eq) {
                    throw new FilterSyntaxException("'!' must be followed by '=' (use 'not' to negate)", i);
                }
                i += eq ? 2 : 1;
                String op = s.substring(start, i);
                out.add(new Token(Type.OP, op.equals("==") ? "=" : op, start));
            } else if (c == '\'' || c == '"') {
                int start = i;
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '\\' && i + 1 < n) {
                        sb.append(s.charAt(i + 1));
                        i += 2;
                    } else if (d == c) {
                        i++;
                        closed = true;
                        break;
                    } else {
                        sb.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new FilterSyntaxException("unterminated string", start);
                }
                out.add(new Token(Type.STRING, sb.toString(), start));
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && SPECIAL.indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(Type.WORD, s.substring(start, i), start));
            }
        }
        out.add(new Token(Type.EOF, "", n));
        return out;
    }
}
