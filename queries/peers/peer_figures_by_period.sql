-- Comparison with similar councils: for each measure and period in the peers extract, how
-- many peers published a figure, their median and quartiles, every peer's figure (for the
-- council's rank), and the council's own published figure and name where the file has a
-- row for its area code. The council's own row is never counted among its peers.
-- Median and quartiles are quantile_cont: linear interpolation between the two nearest
-- ranks (as Excel's QUARTILE.INC and numpy's default). same_definition is false when any
-- row of the period says its definition differs from the council's own measure; differing
-- names those councils.
-- Grain: one row per measure, grain and period (the period containing each row's date).
-- Parameters: $area_code (the council's own code; '' when it is not set).
with figures as (
    select
        p.measure,
        p.grain,
        period_start(p.grain, p.period) as period_start,
        p.value,
        p.area_name,
        coalesce(p.same_definition, true) as same_definition,
        nullif(trim(p.peer_group), '') as peer_group,
        coalesce(
            $area_code != '' and upper(trim(p.area_code)) = upper(trim($area_code)), false
        ) as is_council
    from peers as p
),

final as (
    select
        measure,
        grain,
        period_start,
        count(*) filter (where not is_council) as peers,
        quantile_cont(value, 0.5) filter (where not is_council) as median,
        quantile_cont(value, 0.25) filter (where not is_council) as lower_quartile,
        quantile_cont(value, 0.75) filter (where not is_council) as upper_quartile,
        list(value order by value) filter (where not is_council) as peer_values,
        max(value) filter (where is_council) as council_value,
        max(area_name) filter (where is_council) as council_name,
        bool_and(same_definition) as same_definition,
        list(distinct area_name order by area_name) filter (
            where not same_definition
        ) as differing,
        string_agg(distinct peer_group, ' and ' order by peer_group) as peer_group
    from figures
    group by measure, grain, period_start
)

select * from final
order by measure, grain, period_start
