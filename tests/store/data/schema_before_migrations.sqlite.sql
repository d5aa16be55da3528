-- The schema upgrade_schema made on SQLite before migrations existed (commit 20267f0).
CREATE TABLE daily_subscriptions (
	channel VARCHAR(32) NOT NULL, 
	post_time VARCHAR(5) NOT NULL, 
	days VARCHAR(64) NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	active BOOLEAN DEFAULT 1 NOT NULL, 
	source VARCHAR(16) DEFAULT 'slack' NOT NULL, 
	created_by VARCHAR(32), 
	created_at DATETIME NOT NULL, 
	changed_by VARCHAR(32), 
	changed_at DATETIME NOT NULL, 
	PRIMARY KEY (channel)
);
CREATE TABLE daily_posts (
	channel VARCHAR(32) NOT NULL, 
	local_date DATE NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	claim_token VARCHAR(36) NOT NULL, 
	claimed_at DATETIME NOT NULL, 
	first_claimed_at DATETIME NOT NULL, 
	attempts INTEGER DEFAULT '1' NOT NULL, 
	maybe_sent BOOLEAN DEFAULT 0 NOT NULL, 
	retry_at DATETIME, 
	message_ts VARCHAR(32), 
	posted_at DATETIME, 
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
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (channel, series)
);
CREATE TABLE lookup_counts (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	"query" VARCHAR(200) NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	term_id VARCHAR(64), 
	count INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_lookup_counts_at ON lookup_counts (at);
