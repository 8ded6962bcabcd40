-- The per-dimension daily rollups go, Distributed tables first.
DROP TABLE IF EXISTS {{database}}.sales_branch_d ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_branch_d_local ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_productLine_d ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_productLine_d_local ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_itemGroup_d ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_itemGroup_d_local ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_salesPerson_d ON CLUSTER {{cluster}};
DROP TABLE IF EXISTS {{database}}.sales_salesPerson_d_local ON CLUSTER {{cluster}};
