package org.opentrunk.admin.web;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import javax.faces.view.ViewScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CustomerJson;
import org.opentrunk.admin.CustomerService;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.config.ProvisioningDefaults;

/**
 * The customers page: the list, and one form for creating or editing. The SIP password is
 * write-only: the form never shows it, and leaving it empty keeps the stored credentials.
 */
@Named
@ViewScoped
public class CustomersBean implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String FORM = "customer";
    /** The caller-ID policies as the API names them: any, own (IC-CALLER-OWNER). */
    public static final List<String> CALLER_ID_POLICIES = Arrays.stream(CallerIdPolicy.values()).map(CallerIdPolicy::token).toList();

    @Inject
    private CustomerService service;

    private Long editing;
    private String name;
    private String techPrefix;
    private String ips;
    private String username;
    private String password;
    private boolean hasPassword;
    private Integer maxChannels = ProvisioningDefaults.MAX_CHANNELS;
    private Integer maxCps = ProvisioningDefaults.MAX_CPS;
    private Integer maxCallSeconds = ProvisioningDefaults.MAX_CALL_SECONDS;
    private boolean anchorMedia;
    /** IC-SRTP: kept as the API has it (set through the API), so that saving the form does not drop it. */
    private boolean requireSrtp;
    private String allowedPrefixes;
    private String country;
    private String callerIdPolicy = CallerIdPolicy.ANY.token();
    private String verifiedNumbers;
    private String digestAlgorithms;
    private transient List<CustomerJson> customers;

    public List<CustomerJson> getCustomers() {
        if (customers == null) {
            customers = service.list();
        }
        return customers;
    }

    /** A list cell: the values separated by commas. */
    public String join(List<String> values) {
        return Lists.format(values);
    }

    public List<String> getCallerIdPolicies() {
        return CALLER_ID_POLICIES;
    }

    public void edit(long id) {
        CustomerJson c = service.get(id);
        editing = c.id;
        name = c.name;
        techPrefix = c.techPrefix;
        ips = Lists.format(c.ips);
        username = c.username;
        password = null;
        hasPassword = Boolean.TRUE.equals(c.hasPassword);
        maxChannels = c.maxChannels;
        maxCps = c.maxCps;
        maxCallSeconds = c.maxCallSeconds;
        anchorMedia = Boolean.TRUE.equals(c.anchorMedia);
        requireSrtp = Boolean.TRUE.equals(c.requireSrtp);
        allowedPrefixes = Lists.format(c.allowedPrefixes);
        country = c.country;
        callerIdPolicy = c.callerIdPolicy;
        verifiedNumbers = Lists.format(c.verifiedNumbers);
        digestAlgorithms = Lists.format(c.digestAlgorithms);
    }

    public void startNew() {
        editing = null;
        name = techPrefix = ips = username = password = allowedPrefixes = null;
        country = verifiedNumbers = digestAlgorithms = null;
        callerIdPolicy = CallerIdPolicy.ANY.token();
        hasPassword = false;
        maxChannels = ProvisioningDefaults.MAX_CHANNELS;
        maxCps = ProvisioningDefaults.MAX_CPS;
        maxCallSeconds = ProvisioningDefaults.MAX_CALL_SECONDS;
        anchorMedia = false;
        requireSrtp = false;
    }

    public void generateTechPrefix() {
        FieldMessages.attempt(FORM, () -> {
            techPrefix = service.freeTechPrefix();
        });
    }

    public void save() {
        CustomerJson json = new CustomerJson();
        json.name = name;
        json.techPrefix = techPrefix;
        json.ips = Lists.parse(ips);
        json.username = username == null ? "" : username.trim();
        json.setPassword(password == null || password.isEmpty() ? null : password);
        json.maxChannels = maxChannels;
        json.maxCps = maxCps;
        json.maxCallSeconds = maxCallSeconds;
        json.anchorMedia = anchorMedia;
        json.requireSrtp = requireSrtp;
        json.allowedPrefixes = Lists.parse(allowedPrefixes);
        json.country = country;
        json.callerIdPolicy = callerIdPolicy;
        json.verifiedNumbers = Lists.parse(verifiedNumbers);
        json.digestAlgorithms = Lists.parse(digestAlgorithms);
        FieldMessages.attempt(FORM, () -> {
            CustomerJson saved = editing == null ? service.create(json) : service.update(editing, json);
            FieldMessages.info((editing == null ? "Customer created: " : "Customer saved: ") + saved.name);
            customers = null;
            edit(saved.id);
        });
    }

    public void delete(long id) {
        FieldMessages.attempt(FORM, () -> {
            service.delete(id);
            FieldMessages.info("Customer deleted.");
            customers = null;
            if (Long.valueOf(id).equals(editing)) {
                startNew();
            }
        });
    }

    public Long getEditing() { return editing; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getTechPrefix() { return techPrefix; }
    public void setTechPrefix(String techPrefix) { this.techPrefix = techPrefix; }
    public String getIps() { return ips; }
    public void setIps(String ips) { this.ips = ips; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getPassword() { return null; }
    public void setPassword(String password) { this.password = password; }
    public boolean isHasPassword() { return hasPassword; }
    public Integer getMaxChannels() { return maxChannels; }
    public void setMaxChannels(Integer maxChannels) { this.maxChannels = maxChannels; }
    public Integer getMaxCps() { return maxCps; }
    public void setMaxCps(Integer maxCps) { this.maxCps = maxCps; }
    public Integer getMaxCallSeconds() { return maxCallSeconds; }
    public void setMaxCallSeconds(Integer maxCallSeconds) { this.maxCallSeconds = maxCallSeconds; }
    public boolean isAnchorMedia() { return anchorMedia; }
    public void setAnchorMedia(boolean anchorMedia) { this.anchorMedia = anchorMedia; }
    public String getAllowedPrefixes() { return allowedPrefixes; }
    public void setAllowedPrefixes(String allowedPrefixes) { this.allowedPrefixes = allowedPrefixes; }
    public String getCountry() { return country; }
    public void setCountry(String country) { this.country = country; }
    public String getCallerIdPolicy() { return callerIdPolicy; }
    public void setCallerIdPolicy(String callerIdPolicy) { this.callerIdPolicy = callerIdPolicy; }
    public String getVerifiedNumbers() { return verifiedNumbers; }
    public void setVerifiedNumbers(String verifiedNumbers) { this.verifiedNumbers = verifiedNumbers; }
    public String getDigestAlgorithms() { return digestAlgorithms; }
    public void setDigestAlgorithms(String digestAlgorithms) { this.digestAlgorithms = digestAlgorithms; }
}
