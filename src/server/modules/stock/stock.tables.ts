type Versioned = { created_at: string; updated_at: string; version: number; deleted_at: string | null };

export type StockLocationTable = Versioned & {
  id: string;
  org_id: string;
  /** The CMDB location (assets module) the store room or cabinet is in. */
  location_id: string;
  kind: string;
  name: string;
  notes: string;
};

export type StockArticleTable = Versioned & {
  id: string;
  org_id: string;
  name: string;
  reference: string | null;
  unit: string;
  model_id: string | null;
  supplier_id: string | null;
  lead_time_days: number;
  notes: string;
  search_text: string;
};

export type StockLevelTable = {
  article_id: string;
  stock_location_id: string;
  org_id: string;
  quantity: number;
  reserved: number;
  min_quantity: number;
  updated_at: string;
  version: number;
};

export type StockMovementTable = {
  id: string;
  org_id: string;
  article_id: string;
  kind: string;
  from_location_id: string | null;
  to_location_id: string | null;
  quantity: number;
  reason: string;
  document_kind: string | null;
  document_id: string | null;
  author_id: string | null;
  author_label: string;
  at: string;
};

export type StockReservationTable = Versioned & {
  id: string;
  org_id: string;
  article_id: string;
  stock_location_id: string;
  quantity: number;
  owner_kind: string;
  owner_id: string;
  status: string;
  note: string;
  created_by: string | null;
};

export type PurchaseOrderTable = Versioned & {
  id: string;
  org_id: string;
  reference: string;
  supplier_id: string;
  stock_location_id: string;
  status: string;
  ordered_at: string;
  expected_date: string;
  notes: string;
  created_by: string | null;
};

export type PurchaseOrderLineTable = {
  id: string;
  order_id: string;
  position: number;
  article_id: string | null;
  model_id: string | null;
  quantity: number;
  received_quantity: number;
};

export type StockTakeTable = Versioned & {
  id: string;
  org_id: string;
  stock_location_id: string;
  status: string;
  notes: string;
  created_by: string | null;
  booked_by: string | null;
  booked_at: string | null;
};

export type StockTakeLineTable = {
  stock_take_id: string;
  article_id: string;
  expected: number;
  counted: number | null;
};
