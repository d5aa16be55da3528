-- The schema upgrade_schema made on PostgreSQL before migrations existed (commit 20267f0).
CREATE TABLE daily_posts (
	channel VARCHAR(32) NOT NULL, 
	local_date DATE NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	claim_token VARCHAR(36) NOT NULL, 
	claimed_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	first_claimed_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	attempts INTEGER DEFAULT '1' NOT NULL, 
	maybe_sent BOOLEAN DEFAULT false NOT NULL, 
	retry_at TIMESTAMP WITH TIME ZONE, 
	message_ts VARCHAR(32), 
	posted_at TIMESTAMP WITH TIME ZONE, 
	term_id VARCHAR(64), 
	digest_id VARCHAR(64), 
	digest_item_id VARCHAR(64), 
	last_error TEXT, 
	PRIMARY KEY (channel, local_date)
);
CREATE TABLE daily_rotations (
	channel VARCHAR(32) NOT NULL, 
	series VARCHAR(80) NOT NULL, 
	cycle INTEGER DEFAULT '0' NOT NULL, 
	shown JSON NOT NULL, 
	last_id VARCHAR(64), 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (channel, series)
);
CREATE TABLE daily_subscriptions (
	channel VARCHAR(32) NOT NULL, 
	post_time VARCHAR(5) NOT NULL, 
	days VARCHAR(64) NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	active BOOLEAN DEFAULT true NOT NULL, 
	source VARCHAR(16) DEFAULT 'slack' NOT NULL, 
	created_by VARCHAR(32), 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	changed_by VARCHAR(32), 
	changed_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (channel)
);
CREATE TABLE lookup_counts (
	id BIGSERIAL NOT NULL, 
	at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	query VARCHAR(200) NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	term_id VARCHAR(64), 
	count INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_lookup_counts_at ON lookup_counts (at);
