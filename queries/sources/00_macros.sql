-- Macros every question query uses: the period a date falls in, and the filter scope.
-- period_start(grain, d): first day of the month, financial quarter (Q1 = April) or
-- financial year (1 April) containing d; grain 'span' puts every date in one period (for a
-- figure pooled over a run of months, such as the last twelve).
-- in_scope(value, wanted): true when no filter is set (NULL) or the value is in the list.
create or replace macro period_start(grain, d) as
case grain
    when 'month' then date_trunc('month', d)::date
    when 'quarter' then date_trunc('quarter', d)::date
    when 'span' then date '2000-01-01'
    else make_date(year(d) - (month(d) < 4)::int, 4, 1)
end;

create or replace macro in_scope(value, wanted) as
wanted is null or list_contains(wanted, value);


-- breakdown(by, service, channel, site, contractor): the group a row falls in when a measure
-- is broken down ($by = 'service' (the default), 'channel', 'site' or 'contractor');
-- blanks are 'Not recorded' so they never merge with the all-services total (NULL).
-- 'service and channel' (kept at ingest for an additive query: engine/kept.py, from_cube)
-- is both in one key, service then channel, a blank as chr(30), chr(31) between them.
create or replace macro breakdown(split, service, channel, site, contractor) as
case coalesce(split, 'service')
    when 'channel' then coalesce(channel, 'Not recorded')
    when 'service and channel'
        then coalesce(service, chr(30)) || chr(31) || coalesce(channel, chr(30))
    when 'site' then coalesce(site, 'Not recorded')
    when 'contractor' then coalesce(contractor, 'Not recorded')
    else coalesce(service, 'Not recorded')
end;
