package org.opentrunk.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A destination prefix the operator blocks for every customer (e.g. premium-rate ranges). */
@Entity
@Table(name = "blocked_prefix")
public class BlockedPrefixEntity {

    @Id
    private String prefix;
    private String note;
    @Column(name = "created_ms", nullable = false)
    private long createdMs;

    protected BlockedPrefixEntity() {
    }

    public BlockedPrefixEntity(String prefix, String note, long createdMs) {
        this.prefix = prefix;
        this.note = note;
        this.createdMs = createdMs;
    }

    public String getPrefix() { return prefix; }
    public String getNote() { return note; }
    public long getCreatedMs() { return createdMs; }
}
