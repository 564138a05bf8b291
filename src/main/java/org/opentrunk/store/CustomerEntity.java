package org.opentrunk.store;

import java.util.ArrayList;
import java.util.List;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.JoinColumn;
import javax.persistence.OrderBy;
import javax.persistence.Table;
import javax.persistence.Version;
import org.opentrunk.core.config.ProvisioningDefaults;

/**
 * A customer as stored: identification (IPs, tech prefix, digest credentials) and limits. IPs and
 * prefixes are lists kept sorted and free of duplicates by CustomerService (a database keeps no
 * order, and EclipseLink's sets iterate in hash order).
 */
@Entity
@Table(name = "customer")
public class CustomerEntity {

    @Id
    @SequenceGenerator(name = "customer_ids", sequenceName = "customer_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "customer_ids")
    private Long id;
    @Column(nullable = false)
    private String name;
    @Column(name = "tech_prefix", nullable = false, unique = true)
    private String techPrefix;
    @Column(name = "sip_username", unique = true)
    private String sipUsername;
    @Column(name = "sip_realm")
    private String sipRealm;
    @Column(name = "ha1_md5")
    private String ha1Md5;
    @Column(name = "ha1_sha256")
    private String ha1Sha256;
    @Column(name = "max_channels", nullable = false)
    private int maxChannels;
    @Column(name = "max_cps", nullable = false)
    private int maxCps;
    /** longest answered call in seconds, 0 = no limit (issue 25) */
    @Column(name = "max_call_seconds", nullable = false)
    private int maxCallSeconds = ProvisioningDefaults.MAX_CALL_SECONDS;
    /** its calls must offer SRTP, others get 488 (IC-SRTP) */
    @Column(name = "require_srtp", nullable = false)
    private boolean requireSrtp;
    /** origination identifier of its signed calls, a UUID fixed at creation (IC-STIR, ATIS-1000074 5.2.4) */
    @Column(name = "stir_origid", length = 36)
    private String origid = java.util.UUID.randomUUID().toString();
    @Column(name = "anchor_media", nullable = false)
    private boolean anchorMedia;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "customer_ip", joinColumns = @JoinColumn(name = "customer_id"))
    @Column(name = "ip")
    @OrderBy
    private List<String> ips = new ArrayList<>();
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "customer_allowed_prefix", joinColumns = @JoinColumn(name = "customer_id"))
    @Column(name = "prefix")
    @OrderBy
    private List<String> allowedPrefixes = new ArrayList<>();
    /** ISO 3166-1 alpha-2, or null (IC-COUNTRY) */
    @Column(name = "country")
    private String country;
    /** comma-separated digest algorithm tokens, or null for the trunk's default (IC-DIGEST) */
    @Column(name = "digest_algorithms")
    private String digestAlgorithms;
    /** {@code any} or {@code own} (IC-CALLER-OWNER) */
    @Column(name = "caller_id_policy", nullable = false)
    private String callerIdPolicy = "any";
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "customer_verified_number", joinColumns = @JoinColumn(name = "customer_id"))
    @Column(name = "e164")
    @OrderBy
    private List<String> verifiedNumbers = new ArrayList<>();
    @Version
    private long version;

    public Long getId() { return id; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getTechPrefix() { return techPrefix; }
    public void setTechPrefix(String techPrefix) { this.techPrefix = techPrefix; }
    public String getSipUsername() { return sipUsername; }
    public void setSipUsername(String sipUsername) { this.sipUsername = sipUsername; }
    public String getSipRealm() { return sipRealm; }
    public String getHa1Md5() { return ha1Md5; }
    public String getHa1Sha256() { return ha1Sha256; }
    public int getMaxChannels() { return maxChannels; }
    public void setMaxChannels(int maxChannels) { this.maxChannels = maxChannels; }
    public int getMaxCps() { return maxCps; }
    public boolean isRequireSrtp() { return requireSrtp; }
    public void setRequireSrtp(boolean requireSrtp) { this.requireSrtp = requireSrtp; }
    public int getMaxCallSeconds() { return maxCallSeconds; }
    public void setMaxCallSeconds(int maxCallSeconds) { this.maxCallSeconds = maxCallSeconds; }
    public String getOrigid() { return origid; }
    public void setOrigid(String origid) { this.origid = origid; }
    public void setMaxCps(int maxCps) { this.maxCps = maxCps; }
    public boolean isAnchorMedia() { return anchorMedia; }
    public void setAnchorMedia(boolean anchorMedia) { this.anchorMedia = anchorMedia; }
    public List<String> getIps() { return ips; }
    public List<String> getAllowedPrefixes() { return allowedPrefixes; }
    public String getCountry() { return country; }
    public void setCountry(String country) { this.country = country; }
    public String getDigestAlgorithms() { return digestAlgorithms; }
    public void setDigestAlgorithms(String digestAlgorithms) { this.digestAlgorithms = digestAlgorithms; }
    public String getCallerIdPolicy() { return callerIdPolicy; }
    public void setCallerIdPolicy(String callerIdPolicy) { this.callerIdPolicy = callerIdPolicy; }
    public List<String> getVerifiedNumbers() { return verifiedNumbers; }

    /** Replaces the digest credentials: the HA1 values for the realm, or none at all. */
    public void setDigest(String username, String realm, String ha1Md5, String ha1Sha256) {
        this.sipUsername = username;
        this.sipRealm = realm;
        this.ha1Md5 = ha1Md5;
        this.ha1Sha256 = ha1Sha256;
    }
}
