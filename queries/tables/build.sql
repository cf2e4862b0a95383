-- When the database being served was built, and from which extract versions.
-- Parameters: none.
select * from build
