// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.view.FilterLexer.Token;
import io.wiretop.view.FilterLexer.Type;
import io.wiretop.view.Filter.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser. Precedence, loosest first: or, and, not, then a comparison or a
 * parenthesised expression. Nesting ('(' and 'not') is bounded at {@value #MAX_DEPTH} levels, so
 * no input, typed into F4 or given on the command line, can overflow the stack; chains of
 * 'and'/'or' are loops and have no bound. Values compared with a numeric field must be numbers
 * in its range ({@link FieldValues}).
 * <pre>
 * or   := and ('or' and)*
 * and  := not ('and' not)*
 * not  := 'not' not | '(' or ')' | pred
 * pred := FIELD ('exists' | CMP value | ('contains'|'icontains'|'startswith') value
 *                | 'in' '(' value (',' value)* ')')
 * </pre>
 */
final class FilterParser {
    /** Deepest nesting of '(' and 'not' accepted; the tree is walked recursively when rows are tested. */
    static final int MAX_DEPTH = 256;
    private static final Set<String> WORD_OPS = Set.of("contains", "icontains", "startswith");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "exists", "contains",
            "icontains", "startswith");

    private final List<Token> tokens;
    private final Set<String> fields;
    private int at;
    private int depth;

    FilterParser(String expr, Set<String> fields) throws FilterSyntaxException {
        this.tokens = FilterLexer.tokenize(expr);
        this.fields = fields;
    }

    Node parse() throws FilterSyntaxException {
        Node n = or();
        Token t = peek();
        if (t.type() != Type.EOF) {
            throw new FilterSyntaxException(t.type() == Type.RPAREN ? "unbalanced ')'"
                    : "expected 'and', 'or' or end of expression, found " + t.shown(), t.pos());
        }
        return n;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        return tokens.get(at++);
    }

    private Node or() throws FilterSyntaxException {
        List<Node> parts = new ArrayList<>(List.of(and()));
        while (peek().isWord("or")) {
            next();
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Node.Or(parts);
    }

    private Node and() throws FilterSyntaxException {
        List<Node> parts = new ArrayList<>(List.of(not()));
        while (peek().isWord("and")) {
            next();
            parts.add(not());
        }
        return parts.size() == 1 ? parts.get(0) : new Node.And(parts);
    }

    private Node not() throws FilterSyntaxException {
        Token t = peek();
        if (t.isWord("not")) {
            next();
            enter(t);
            Node inner = not();
            depth--;
            return new Node.Not(inner);
        }
        if (t.type() == Type.LPAREN) {
            next();
            enter(t);
            Node inner = or();
            depth--;
            Token close = next();
            if (close.type() != Type.RPAREN) {
                throw new FilterSyntaxException("expected ')' to close '(' at position " + t.pos()
                        + ", found " + close.shown(), close.pos());
            }
            return inner;
        }
        return predicate();
    }

    private void enter(Token t) throws FilterSyntaxException {
        if (++depth > MAX_DEPTH) {
            throw new FilterSyntaxException("nested deeper than " + MAX_DEPTH + " levels", t.pos());
        }
    }

    private Node predicate() throws FilterSyntaxException {
        Token f = next();
        if (f.type() != Type.WORD || KEYWORDS.contains(f.text().toLowerCase())) {
            throw new FilterSyntaxException("expected a field name, found " + f.shown(), f.pos());
        }
        if (!fields.contains(f.text())) {
            throw new FilterSyntaxException("unknown field '" + f.text() + "'", f.pos());
        }
        Token op = next();
        if (op.isWord("exists")) {
            return new Node.Exists(f.text());
        }
        if (op.type() == Type.OP) {
            return new Node.Cmp(f.text(), op.text(), List.of(FieldValues.checked(f.text(), value())));
        }
        if (op.type() == Type.WORD && WORD_OPS.contains(op.text().toLowerCase())) {
            return new Node.Cmp(f.text(), op.text().toLowerCase(), List.of(value().text())); // text operators: any value
        }
        if (op.isWord("in")) {
            Token open = next();
            if (open.type() != Type.LPAREN) {
                throw new FilterSyntaxException("expected '(' after 'in', found " + open.shown(), open.pos());
            }
            List<String> values = new ArrayList<>(List.of(FieldValues.checked(f.text(), value())));
            while (peek().type() == Type.COMMA) {
                next();
                values.add(FieldValues.checked(f.text(), value()));
            }
            Token close = next();
            if (close.type() != Type.RPAREN) {
                throw new FilterSyntaxException("expected ',' or ')' in value list, found " + close.shown(),
                        close.pos());
            }
            return new Node.Cmp(f.text(), "in", values);
        }
        throw new FilterSyntaxException("expected an operator after '" + f.text()
                + "' (= != < <= > >= contains startswith in exists), found " + op.shown(), op.pos());
    }

    private Token value() throws FilterSyntaxException {
        Token v = next();
        if (v.type() == Type.STRING || v.type() == Type.WORD) {
            return v;
        }
        throw new FilterSyntaxException("expected a value, found " + v.shown(), v.pos());
    }
}
