"""Reading, checking and writing files: flows, contacts, answers, records, scenarios, batches."""
