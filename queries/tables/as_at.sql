-- The data's "as at" date: the latest day any activity extract reaches.
-- Parameters: none.
select as_at_date from as_at
