-- Issue 25, spoofed carrier INVITEs: what is accepted of INVITEs from a carrier's address.
-- inbound_transports: 'any' or 'tcp-tls' (INVITEs over UDP refused: a spoofer cannot open TCP).
-- max_inbound_cps: new INVITEs per second taken from the carrier, 0 = no limit.
-- summarise_unknown_numbers: INVITEs to numbers not on this trunk are counted, not one CDR each.
ALTER TABLE carrier ADD COLUMN inbound_transports VARCHAR(16) DEFAULT 'any' NOT NULL;
ALTER TABLE carrier ADD COLUMN max_inbound_cps INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE carrier ADD COLUMN summarise_unknown_numbers BOOLEAN DEFAULT FALSE NOT NULL;
