// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.view.ViewDef;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The views the UI can show: the part of the view registry it needs, so tests can hand it views
 * built in code. Implementations are immutable.
 */
public interface Views {
    /** The view with this id, or null. */
    ViewDef get(String id);

    /** Views offered at a drill-down level ("" = whole machine), alphabetical (the F2 list). */
    List<ViewDef> applicableTo(String selectionField);

    /** A catalogue over a fixed list of views. */
    static Views of(List<ViewDef> views) {
        List<ViewDef> sorted = views.stream().sorted(Comparator.comparing(ViewDef::name)).toList();
        return new Views() {
            @Override
            public ViewDef get(String id) {
                return sorted.stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
            }

            @Override
            public List<ViewDef> applicableTo(String field) {
                return sorted.stream().filter(v -> v.appliesTo().contains(field == null ? "" : field)).toList();
            }
        };
    }

    /** A catalogue over lookup functions (the ViewRegistry's get and applicableTo). */
    static Views of(Function<String, ViewDef> get, Function<String, List<ViewDef>> applicable) {
        return new Views() {
            @Override
            public ViewDef get(String id) {
                return get.apply(id);
            }

            @Override
            public List<ViewDef> applicableTo(String field) {
                return applicable.apply(field == null ? "" : field);
            }
        };
    }
}
