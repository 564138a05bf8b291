package org.opentrunk.core.address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The parameters of a URI, a user part or a header value, in the order written. Lookups ignore
 * the case of names and take the first of a name given twice.
 */
public record Parameters(List<Parameter> list) {

    public static final Parameters NONE = new Parameters(List.of());

    public Parameters {
        list = List.copyOf(list);
    }

    public static Parameters of(Parameter... parameters) {
        return new Parameters(List.of(parameters));
    }

    /** The first parameter called {@code name}, ignoring case. */
    public Optional<Parameter> find(String name) {
        return list.stream().filter(p -> p.isNamed(name)).findFirst();
    }

    public boolean has(String name) {
        return find(name).isPresent();
    }

    /** The unquoted value of the first parameter called {@code name}; empty when absent or a flag. */
    public Optional<String> value(String name) {
        return find(name).flatMap(Parameter::unquotedValue);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** These parameters followed by {@code more}. */
    public Parameters with(Collection<Parameter> more) {
        List<Parameter> all = new ArrayList<>(list);
        all.addAll(more);
        return new Parameters(all);
    }

    public Parameters with(Parameter parameter) {
        return with(List.of(parameter));
    }

    /** These parameters without any whose name is in {@code names}, ignoring case. */
    public Parameters without(Collection<String> names) {
        return new Parameters(list.stream()
                .filter(p -> names.stream().noneMatch(p::isNamed))
                .toList());
    }

    /** {@code ;a=b;c}, or the empty string. */
    public String render() {
        StringBuilder out = new StringBuilder();
        list.forEach(p -> out.append(p.render()));
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
