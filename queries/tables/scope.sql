-- What each extract covers, as its mapping declares (empty lists: all).
-- Parameters: none.
select * from scope
order by extract
