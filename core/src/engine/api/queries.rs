//! [`Stockbook::query`]: every [`Query`] answered by the read method of the same name.
use crate::command::{Answer, Query};
use crate::engine::Stockbook;
use crate::error::Result;

impl Stockbook {
    /// Answers `query` with the read method of the same name (`Query::OnHand` is
    /// [`Stockbook::on_hand`]); the answer carries that method's result.
    pub fn query(&self, query: &Query) -> Result<Answer> {
        use Answer as A;
        use Query as Q;
        Ok(match query {
            Q::Item { sku } => A::Item(self.item(sku)?),
            Q::Items {} => A::Items(self.items()?),
            Q::Location { code } => A::Location(self.location(code)?),
            Q::Locations {} => A::Locations(self.locations()?),
            Q::Children { code } => A::Children(self.children(code)?),
            Q::Lot { sku, lot } => A::Lot(self.lot(sku, lot)?),
            Q::Lots { sku } => A::Lots(self.lots(sku)?),
            Q::Serial { sku, serial } => A::Serial(self.serial(sku, serial)?),
            Q::SerialsAt { sku, location } => A::SerialsAt(self.serials_at(sku, location)?),
            Q::Transfer { id } => A::Transfer(self.transfer(id)?),
            Q::OnHand { sku, location } => A::OnHand(self.on_hand(sku, location)?),
            Q::OnHandLot { sku, location, lot } => {
                A::OnHandLot(self.on_hand_lot(sku, location, lot.as_deref())?)
            }
            Q::ItemTotal { sku } => A::ItemTotal(self.item_total(sku)?),
            Q::Balances(filter) => A::Balances(self.balances(filter)?),
            Q::OnHandAt {
                sku,
                location,
                as_of,
            } => A::OnHandAt(self.on_hand_at(sku, location, *as_of)?),
            Q::Events { from_seq, limit } => A::Events(self.events(*from_seq, *limit as usize)?),
            Q::CloudEvents {
                from_seq,
                limit,
                source,
            } => {
                A::CloudEvents(self.cloud_events(*from_seq, *limit as usize, source.as_deref())?)
            }
            Q::History {
                sku,
                from_seq,
                limit,
            } => A::History(self.history(sku, *from_seq, *limit as usize)?),
            Q::Reservation { id } => A::Reservation(self.reservation(id)?),
            Q::Reservations(filter) => A::Reservations(self.reservations(filter)?),
            Q::StockLevel { sku, location } => A::StockLevel(self.stock_level(sku, location)?),
            Q::Reserved { sku, location } => A::Reserved(self.reserved(sku, location)?),
            Q::Available { sku, location } => A::Available(self.available(sku, location)?),
            Q::ReservedAt {
                sku,
                location,
                as_of,
            } => A::ReservedAt(self.reserved_at(sku, location, *as_of)?),
            Q::AvailableAt {
                sku,
                location,
                as_of,
            } => A::AvailableAt(self.available_at(sku, location, *as_of)?),
            Q::Order { id } => A::Order(self.order(id)?),
            Q::Orders { state } => A::Orders(self.orders(*state)?),
            Q::Backorders { sku } => A::Backorders(self.backorders(sku.as_deref())?),
            Q::PlanAllocation {
                sku,
                qty,
                scope,
                strategy,
            } => A::PlanAllocation(self.plan_allocation(sku, *qty, scope, strategy)?),
            Q::DemandHistory {
                sku,
                location,
                bucket,
                from,
                to,
                include_backorders,
            } => A::DemandHistory(self.demand_history(
                sku,
                location,
                *bucket,
                *from,
                *to,
                *include_backorders,
            )?),
            Q::ReplenishmentPlan(options) => {
                A::ReplenishmentPlan(self.replenishment_plan(options)?)
            }
            Q::PurchaseOrder { id } => A::PurchaseOrder(self.purchase_order(id)?),
            Q::PurchaseOrders(filter) => A::PurchaseOrders(self.purchase_orders(filter)?),
            Q::OnOrder { sku, location } => A::OnOrder(self.on_order(sku, location)?),
            Q::ForecastAccuracy(options) => A::ForecastAccuracy(self.forecast_accuracy(options)?),
            Q::WhatIf(options) => A::WhatIf(self.what_if(options)?),
            Q::LeadTimeStats { supplier, sku } => {
                A::LeadTimeStats(self.lead_time_stats(supplier, sku.as_deref())?)
            }
            Q::Verify {} => A::Verify(self.verify()?),
            Q::LastSeq {} => A::LastSeq(self.last_seq()?),
            Q::Now {} => A::Now(self.now()?),
        })
    }
}
