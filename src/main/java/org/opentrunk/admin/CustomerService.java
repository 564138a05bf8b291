package org.opentrunk.admin;

import java.util.TreeSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import org.opentrunk.core.auth.digest.DigestAlgorithm;
import org.opentrunk.core.auth.digest.DigestAlgorithms;
import org.opentrunk.core.auth.digest.Ha1;
import org.opentrunk.core.config.ProvisioningDefaults;
import org.opentrunk.core.provisioning.FieldRules;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.CustomerEntity;
import org.opentrunk.store.ProvisioningStore;

/**
 * Customers: validation, digest credentials (stored as HA1 for the trunk's realm, never the
 * password), storage and publication. Used by the REST API and the admin pages.
 */
@ApplicationScoped
public class CustomerService {

    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_IPS = 64;
    /** Verified caller numbers per customer (IC-CALLER-OWNER); more is a range, better as own numbers. */
    public static final int MAX_VERIFIED_NUMBERS = 1_000;
    /** Random draws before giving up on finding an unused tech prefix (10^8 values, few in use). */
    public static final int TECH_PREFIX_DRAWS = 100;
    /** Highest maxCallSeconds accepted, a week: beyond it the operator means no limit, which is 0. */
    public static final int MAX_CALL_SECONDS_LIMIT = 7 * 24 * 3600;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    @Inject
    private ProvisioningStore store;
    @Inject
    private ConfigPublisher publisher;
    @Inject
    private TrunkAssembly assembly;

    public List<CustomerJson> list() {
        return store.customers().stream().map(this::toJson).toList();
    }

    public CustomerJson get(long id) {
        return toJson(store.customer(id));
    }

    public CustomerJson create(CustomerJson json) {
        CustomerEntity saved = store.saveCustomer(apply(json, new CustomerEntity()));
        publisher.publish();
        return toJson(saved);
    }

    /** Replaces the customer; digest credentials stay unless a username or password is given. */
    public CustomerJson update(long id, CustomerJson json) {
        CustomerEntity saved = store.saveCustomer(apply(json, store.customer(id)));
        publisher.publish();
        return toJson(saved);
    }

    public void delete(long id) {
        store.deleteCustomer(id);
        publisher.publish();
    }

    /**
     * A random tech prefix no customer has. The first digit is not 0: some PBXs drop leading
     * zeros from a dialled string.
     */
    public String freeTechPrefix() {
        Set<String> used = new TreeSet<>();
        store.customers().forEach(c -> used.add(c.getTechPrefix()));
        int span = (int) Math.pow(10, FieldRules.TECH_PREFIX_DIGITS - 1);
        for (int i = 0; i < TECH_PREFIX_DRAWS; i++) {
            String candidate = Integer.toString(span + RANDOM.nextInt(9 * span));
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new InvalidFieldException("techPrefix", "no free tech prefix found; type one");
    }

    private CustomerEntity apply(CustomerJson json, CustomerEntity entity) {
        if (json == null) {
            throw new InvalidFieldException("body", "a customer object is required");
        }
        entity.setName(FieldRules.name("name", json.name));
        entity.setTechPrefix(FieldRules.techPrefix("techPrefix", json.techPrefix));
        replaceList(entity.getIps(), "ips", json.ips, MAX_IPS, "addresses", FieldRules::ipv4);
        replaceList(entity.getAllowedPrefixes(), "allowedPrefixes", json.allowedPrefixes, Integer.MAX_VALUE, "prefixes",
                FieldRules::e164Prefix);
        entity.setMaxChannels(FieldRules.range("maxChannels",
                Objects.requireNonNullElse(json.maxChannels, ProvisioningDefaults.MAX_CHANNELS), 0, 100_000));
        entity.setMaxCps(FieldRules.range("maxCps",
                Objects.requireNonNullElse(json.maxCps, ProvisioningDefaults.MAX_CPS), 0, 10_000));
        entity.setMaxCallSeconds(FieldRules.range("maxCallSeconds",
                Objects.requireNonNullElse(json.maxCallSeconds, ProvisioningDefaults.MAX_CALL_SECONDS), 0, MAX_CALL_SECONDS_LIMIT));
        entity.setAnchorMedia(Objects.requireNonNullElse(json.anchorMedia, false));
        entity.setRequireSrtp(Objects.requireNonNullElse(json.requireSrtp, false));
        entity.setCountry(FieldRules.country("country", json.country));
        entity.setCallerIdPolicy(FieldRules.callerIdPolicy("callerIdPolicy", json.callerIdPolicy).token());
        replaceList(entity.getVerifiedNumbers(), "verifiedNumbers", json.verifiedNumbers, MAX_VERIFIED_NUMBERS,
                "verified numbers", FieldRules::e164);
        entity.setDigestAlgorithms(FieldRules.digestAlgorithms("digestAlgorithms", json.digestAlgorithms));
        applyCredentials(json, entity);
        return entity;
    }

    /**
     * Replaces a stored list with {@code values} (null: none), each checked and made canonical by
     * {@code rule}, sorted and without duplicates (a database keeps no order); at most {@code max}.
     */
    private static void replaceList(List<String> stored, String field, List<String> values, int max, String what,
                                    java.util.function.BinaryOperator<String> rule) {
        List<String> given = Objects.requireNonNullElse(values, List.of());
        if (given.size() > max) {
            throw new InvalidFieldException(field, "at most " + max + " " + what + " per customer");
        }
        Set<String> valid = new TreeSet<>();
        for (String value : given) {
            valid.add(rule.apply(field, value));
        }
        stored.clear();
        stored.addAll(valid);
    }

    private void applyCredentials(CustomerJson json, CustomerEntity entity) {
        String username = json.username == null || json.username.isBlank() ? null
                : FieldRules.sipUsername("username", json.username);
        String password = json.password();
        if (username == null) {
            if (password != null) {
                throw new InvalidFieldException("username", "a password needs a username");
            }
            if (json.username != null) {
                entity.setDigest(null, null, null, null); // "" clears the credentials
            }
            return;
        }
        if (password == null) {
            if (!username.equals(entity.getSipUsername())) {
                throw new InvalidFieldException("password", "a new username needs a password");
            }
            return; // unchanged
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidFieldException("password", "password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        String realm = assembly.trunk().settings().sipDomain();
        entity.setDigest(username, realm, Ha1.of(DigestAlgorithm.MD5, username, realm, password).hex(),
                Ha1.of(DigestAlgorithm.SHA_256, username, realm, password).hex());
    }

    private CustomerJson toJson(CustomerEntity e) {
        CustomerJson json = new CustomerJson();
        json.id = e.getId();
        json.name = e.getName();
        json.techPrefix = e.getTechPrefix();
        json.ips = List.copyOf(e.getIps());
        json.username = e.getSipUsername();
        json.hasPassword = e.getHa1Sha256() != null;
        json.maxChannels = e.getMaxChannels();
        json.maxCps = e.getMaxCps();
        json.maxCallSeconds = e.getMaxCallSeconds();
        json.stirOrigid = e.getOrigid();
        json.anchorMedia = e.isAnchorMedia();
        json.requireSrtp = e.isRequireSrtp();
        json.allowedPrefixes = List.copyOf(e.getAllowedPrefixes());
        json.country = e.getCountry();
        json.digestAlgorithms = DigestAlgorithms.parse(e.getDigestAlgorithms()).stream().map(DigestAlgorithm::token).toList();
        json.callerIdPolicy = e.getCallerIdPolicy();
        json.verifiedNumbers = List.copyOf(e.getVerifiedNumbers());
        json.callerIdRefusals = assembly.trunk().callerIdRefusals(e.getId());
        json.channelsInUse = assembly.trunk().callAdmission().inUse(e.getId());
        return json;
    }
}
