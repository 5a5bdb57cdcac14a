-- One database per service: no service can read another's tables.
CREATE DATABASE hub_spaces;
CREATE DATABASE hub_members;
CREATE DATABASE hub_events;
CREATE DATABASE hub_matching;
CREATE DATABASE hub_support_programs;
