package org.opentrunk.admin.web;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CustomerJson;
import org.opentrunk.admin.CustomerService;

/** The customers as the pages' menus and tables need them: a list to pick from, a name for an id. */
@Named
@RequestScoped
public class CustomerChoices {

    @Inject
    private CustomerService service;

    private List<CustomerJson> customers;
    private Map<Long, String> names;

    public List<CustomerJson> getAll() {
        if (customers == null) {
            customers = service.list();
        }
        return customers;
    }

    /** The customer's name, or the bare id if it is gone. */
    public String name(Long id) {
        if (id == null) {
            return "";
        }
        if (names == null) {
            names = getAll().stream().collect(Collectors.toMap(c -> c.id, c -> c.name, (a, b) -> a));
        }
        return names.getOrDefault(id, "#" + id);
    }
}
