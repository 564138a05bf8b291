package org.opentrunk.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import org.opentrunk.core.config.Route;
import org.opentrunk.core.numbering.CnamEligibility;
import org.opentrunk.core.numbering.CnamName;
import org.opentrunk.core.numbering.E164Number;
import org.opentrunk.core.numbering.InvalidCnamNameException;
import org.opentrunk.core.numbering.InvalidNumberException;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.core.provisioning.RouteRules;
import org.opentrunk.store.NotFoundException;
import org.opentrunk.store.NumberEntity;
import org.opentrunk.store.ProvisioningStore;
import org.opentrunk.store.RouteEmbeddable;

/** Numbers, their routes and CNAM storage: one validation for the REST API and the admin pages. */
@ApplicationScoped
public class NumberService {

    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1_000;

    @Inject
    private ProvisioningStore store;
    @Inject
    private ConfigPublisher publisher;

    /** Numbers matching the digits of {@code search} (a search without any digit matches none). */
    public List<NumberJson> list(String search, Long customerId, int offset, int limit) {
        String digits = search == null || search.isBlank() ? null : search.replaceAll("[^0-9+]", "");
        if (digits != null && digits.replace("+", "").isEmpty()) {
            return List.of();
        }
        return store.numbers(digits, customerId, Math.max(0, offset), Math.min(Math.max(1, limit), MAX_PAGE))
                .stream().map(NumberService::toJson).toList();
    }

    public NumberJson get(String e164) {
        return toJson(store.number(canonical("e164", e164)));
    }

    public NumberJson create(NumberJson json) {
        if (json == null) {
            throw new InvalidFieldException("body", "a number object is required");
        }
        NumberEntity entity = apply(json, new NumberEntity(canonical("e164", json.e164)));
        NumberEntity saved = store.createNumber(entity);
        publisher.publish();
        return toJson(saved);
    }

    public NumberJson update(String e164, NumberJson json) {
        if (json == null) {
            throw new InvalidFieldException("body", "a number object is required");
        }
        String number = canonical("e164", e164);
        if (json.e164 != null && !canonical("e164", json.e164).equals(number)) {
            throw new InvalidFieldException("e164", "the number cannot change; delete it and create the new one");
        }
        NumberEntity saved = store.updateNumber(apply(json, store.number(number)));
        publisher.publish();
        return toJson(saved);
    }

    public void delete(String e164) {
        store.deleteNumber(canonical("e164", e164));
        publisher.publish();
    }

    /** CNAM storage (IC-CNAM-OUT): refused for toll-free, Canadian and iNum numbers. */
    public CnamJson setCnam(String e164, CnamJson json) {
        E164Number number = parse("e164", e164);
        NumberEntity entity = store.number(number.value());
        CnamEligibility.refusal(number).ifPresent(reason -> {
            throw new InvalidFieldException("e164", reason);
        });
        if (json == null) {
            throw new InvalidFieldException("name", "name is required");
        }
        try {
            entity.setCnamName(CnamName.of(json.name).value());
        } catch (InvalidCnamNameException e) {
            throw new InvalidFieldException("name", e.getMessage());
        }
        store.updateNumber(entity);
        publisher.publish();
        return cnam(number.value(), entity.getCnamName());
    }

    /** Why {@code e164} cannot hold CNAM storage, or empty when it can: the rule {@link #setCnam} applies. */
    public java.util.Optional<String> cnamRefusal(String e164) {
        return CnamEligibility.refusal(parse("e164", e164));
    }

    public CnamJson getCnam(String e164) {
        NumberEntity entity = store.number(canonical("e164", e164));
        if (entity.getCnamName() == null) {
            throw new NotFoundException("no CNAM name stored for " + entity.getE164());
        }
        return cnam(entity.getE164(), entity.getCnamName());
    }

    public void clearCnam(String e164) {
        NumberEntity entity = store.number(canonical("e164", e164));
        entity.setCnamName(null);
        store.updateNumber(entity);
        publisher.publish();
    }

    private NumberEntity apply(NumberJson json, NumberEntity entity) {
        if (json.customerId == null) {
            throw new InvalidFieldException("customerId", "customerId is required");
        }
        try {
            store.customer(json.customerId);
        } catch (NotFoundException e) {
            throw new InvalidFieldException("customerId", "no customer " + json.customerId);
        }
        entity.setCustomerId(json.customerId);
        entity.setCnamLookup(Objects.requireNonNullElse(json.cnamLookup, false));
        int stirFailed = Objects.requireNonNullElse(json.stirFailedStatus, org.opentrunk.core.config.DidNumber.DELIVER_FAILED);
        if (stirFailed != org.opentrunk.core.config.DidNumber.DELIVER_FAILED
                && !org.opentrunk.core.config.DidNumber.REFUSING_STATUSES.contains(stirFailed)) {
            throw new InvalidFieldException("stirFailedStatus",
                    "stirFailedStatus is 0 (deliver), 608 or 403 (refuse calls that fail STIR/SHAKEN verification)");
        }
        entity.setStirFailedStatus(stirFailed);
        List<RouteJson> routes = Objects.requireNonNullElse(json.routes, List.of());
        if (routes.size() > RouteRules.MAX_ROUTES) {
            throw new InvalidFieldException("routes", "at most " + RouteRules.MAX_ROUTES + " routes per number");
        }
        List<RouteEmbeddable> validated = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteJson r = routes.get(i);
            if (r == null) {
                throw new InvalidFieldException("routes[" + i + "]", "a route object is required");
            }
            Route route = RouteRules.validate("routes[" + i + "]", r.type, r.target,
                    Objects.requireNonNullElse(r.priority, (i + 1) * 10));
            validated.add(new RouteEmbeddable(route.type().apiName(), route.target(), route.priority()));
        }
        entity.getRoutes().clear();
        entity.getRoutes().addAll(validated);
        return entity;
    }

    static String canonical(String field, String text) {
        return parse(field, text).value();
    }

    static E164Number parse(String field, String text) {
        try {
            return NumberParser.parseOrThrow(text);
        } catch (InvalidNumberException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    private static CnamJson cnam(String e164, String name) {
        CnamJson json = new CnamJson();
        json.e164 = e164;
        json.name = name;
        return json;
    }

    static NumberJson toJson(NumberEntity e) {
        NumberJson json = new NumberJson();
        json.e164 = e.getE164();
        json.customerId = e.getCustomerId();
        json.cnamLookup = e.isCnamLookup();
        json.stirFailedStatus = e.getStirFailedStatus();
        json.cnamName = e.getCnamName();
        json.routes = e.getRoutes().stream().map(r -> {
            RouteJson route = new RouteJson();
            route.type = r.getType();
            route.target = r.getTarget();
            route.priority = r.getPriority();
            return route;
        }).toList();
        return json;
    }
}
