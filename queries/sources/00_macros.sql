-- Macros every question query uses: the period a date falls in, and the filter scope.
-- period_start(grain, d): first day of the month, financial quarter (Q1 = April) or
-- financial year (1 April) containing d.
-- in_scope(value, wanted): true when no filter is set (NULL) or the value is in the list.
create or replace macro period_start(grain, d) as
    case grain
        when 'month' then date_trunc('month', d)::date
        when 'quarter' then date_trunc('quarter', d)::date
        else make_date(year(d) - (month(d) < 4)::int, 4, 1)
    end;

create or replace macro in_scope(value, wanted) as
    wanted is null or list_contains(wanted, value);

