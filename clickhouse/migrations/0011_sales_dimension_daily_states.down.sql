-- The per-dimension daily rollups go; breakdowns with unique counts read raw again.
DROP TABLE IF EXISTS {{database}}.sales_branch_d;
DROP TABLE IF EXISTS {{database}}.sales_productLine_d;
DROP TABLE IF EXISTS {{database}}.sales_itemGroup_d;
DROP TABLE IF EXISTS {{database}}.sales_salesPerson_d;
