-- Cluster counterpart of ../0011_sales_dimension_daily_states.up.sql: each shard's daily rollup per
-- breakdown dimension with exact distinct states, and its Distributed table under the single-node
-- name. No view: loads fill them (0010).
--
-- No backfill: cluster migrations are applied to an empty cluster (docs/scaling.md).

CREATE TABLE IF NOT EXISTS {{database}}.sales_branch_d_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    branch LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, branch, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE IF NOT EXISTS {{database}}.sales_branch_d ON CLUSTER {{cluster}}
AS {{database}}.sales_branch_d_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_branch_d_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_productLine_d_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    productLine LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, productLine, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE IF NOT EXISTS {{database}}.sales_productLine_d ON CLUSTER {{cluster}}
AS {{database}}.sales_productLine_d_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_productLine_d_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_itemGroup_d_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    itemGroup LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    salesPersonRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String)),
    salesPersonU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, itemGroup, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE IF NOT EXISTS {{database}}.sales_itemGroup_d ON CLUSTER {{cluster}}
AS {{database}}.sales_itemGroup_d_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_itemGroup_d_local, cityHash64(dataset, bucket));

CREATE TABLE IF NOT EXISTS {{database}}.sales_salesPerson_d_local ON CLUSTER {{cluster}}
(
    dataset LowCardinality(String),
    salesPerson LowCardinality(Nullable(String)),
    bucket DateTime('UTC'),
    upload_id LowCardinality(String),
    transactions SimpleAggregateFunction(sum, UInt64),
    grossRevenueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    returnsValueRows SimpleAggregateFunction(sum, UInt64),
    unitsSoldSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsSoldRows SimpleAggregateFunction(sum, UInt64),
    unitsReturnedSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    unitsReturnedRows SimpleAggregateFunction(sum, UInt64),
    totalCostSum SimpleAggregateFunction(sum, Decimal(38, 4)),
    totalCostRows SimpleAggregateFunction(sum, UInt64),
    lineItemCountSum SimpleAggregateFunction(sum, Int64),
    lineItemCountRows SimpleAggregateFunction(sum, UInt64),
    accountRows SimpleAggregateFunction(sum, UInt64),
    itemRows SimpleAggregateFunction(sum, UInt64),
    customerRows SimpleAggregateFunction(sum, UInt64),
    branchRows SimpleAggregateFunction(sum, UInt64),
    productLineRows SimpleAggregateFunction(sum, UInt64),
    itemGroupRows SimpleAggregateFunction(sum, UInt64),
    customerU AggregateFunction(uniqExact, Nullable(String)),
    itemU AggregateFunction(uniqExact, Nullable(String)),
    branchU AggregateFunction(uniqExact, Nullable(String))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
ORDER BY (dataset, salesPerson, bucket, upload_id)
SETTINGS allow_nullable_key = 1, index_granularity = 8;

CREATE TABLE IF NOT EXISTS {{database}}.sales_salesPerson_d ON CLUSTER {{cluster}}
AS {{database}}.sales_salesPerson_d_local
ENGINE = Distributed({{cluster}}, {{database}}, sales_salesPerson_d_local, cityHash64(dataset, bucket));
