import { Center, Loader, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { fetchMe, type Me } from './api/auth.js';
import { AppLayout } from './components/AppLayout.js';
import { ErrorAlert } from './components/ErrorAlert.js';
import { changeLanguage, hasStoredLanguage } from './i18n/index.js';
import { ForcePasswordPage } from './routes/ForcePasswordPage.js';
import { HomePage } from './routes/HomePage.js';
import { RequesterHome, TicketRoute } from './routes/helpdesk/RequesterHome.js';
import { LoginPage } from './routes/LoginPage.js';
import { NotFoundPage } from './routes/NotFoundPage.js';
import { RequirePermission } from './routes/RequirePermission.js';
import { ME_KEY, rememberPlace, SessionProvider } from './session/session.js';

// Pages beyond home load on first visit: the first screen does not wait for the admin screens.
const OrgsPage = lazy(() => import('./routes/admin/OrgsPage.js').then((m) => ({ default: m.OrgsPage })));
const UsersPage = lazy(() => import('./routes/admin/UsersPage.js').then((m) => ({ default: m.UsersPage })));
const GroupsPage = lazy(() =>
  import('./routes/admin/GroupsPage.js').then((m) => ({ default: m.GroupsPage })),
);
const RolesPage = lazy(() => import('./routes/admin/RolesPage.js').then((m) => ({ default: m.RolesPage })));
const AuditPage = lazy(() => import('./routes/admin/AuditPage.js').then((m) => ({ default: m.AuditPage })));
const AssetsPage = lazy(() =>
  import('./routes/assets/AssetsPage.js').then((m) => ({ default: m.AssetsPage })),
);
const AssetImportPage = lazy(() =>
  import('./routes/assets/AssetImportPage.js').then((m) => ({ default: m.AssetImportPage })),
);
const AssetPage = lazy(() => import('./routes/assets/AssetPage.js').then((m) => ({ default: m.AssetPage })));
const LocationsPage = lazy(() =>
  import('./routes/locations/LocationsPage.js').then((m) => ({ default: m.LocationsPage })),
);
const CataloguePage = lazy(() =>
  import('./routes/catalogue/CataloguePage.js').then((m) => ({ default: m.CataloguePage })),
);
const InventoryPage = lazy(() =>
  import('./routes/inventory/InventoryPage.js').then((m) => ({ default: m.InventoryPage })),
);
const SoftwarePage = lazy(() =>
  import('./routes/inventory/SoftwarePage.js').then((m) => ({ default: m.SoftwarePage })),
);
const SoftwareDetailPage = lazy(() =>
  import('./routes/inventory/SoftwarePage.js').then((m) => ({ default: m.SoftwareDetailPage })),
);
const ProfilePage = lazy(() =>
  import('./routes/profile/ProfilePage.js').then((m) => ({ default: m.ProfilePage })),
);
const TicketsPage = lazy(() =>
  import('./routes/helpdesk/TicketsPage.js').then((m) => ({ default: m.TicketsPage })),
);
const TicketPage = lazy(() =>
  import('./routes/helpdesk/TicketPage.js').then((m) => ({ default: m.TicketPage })),
);
const PortalPage = lazy(() => import('./routes/helpdesk/Portal.js').then((m) => ({ default: m.PortalPage })));
const PortalNewPage = lazy(() =>
  import('./routes/helpdesk/Portal.js').then((m) => ({ default: m.PortalNewPage })),
);
const PortalTicketPage = lazy(() =>
  import('./routes/helpdesk/Portal.js').then((m) => ({ default: m.PortalTicketPage })),
);
const HelpdeskSettingsPage = lazy(() =>
  import('./routes/helpdesk/HelpdeskSettingsPage.js').then((m) => ({ default: m.HelpdeskSettingsPage })),
);
const DiagnosticsPage = lazy(() =>
  import('./routes/diagnostics/DiagnosticsPage.js').then((m) => ({ default: m.DiagnosticsPage })),
);
const DiagnosticTreePage = lazy(() =>
  import('./routes/diagnostics/DiagnosticTreePage.js').then((m) => ({ default: m.DiagnosticTreePage })),
);
const DiagnosticWalkPage = lazy(() =>
  import('./routes/diagnostics/DiagnosticWalkPage.js').then((m) => ({ default: m.DiagnosticWalkPage })),
);
const KbListPage = lazy(() => import('./routes/kb/KbListPage.js').then((m) => ({ default: m.KbListPage })));
const KbArticlePage = lazy(() =>
  import('./routes/kb/KbArticlePage.js').then((m) => ({ default: m.KbArticlePage })),
);
const KbEditorPage = lazy(() =>
  import('./routes/kb/KbEditorPage.js').then((m) => ({ default: m.KbEditorPage })),
);

const SecurityPage = lazy(() =>
  import('./routes/security/SecurityPage.js').then((m) => ({ default: m.SecurityPage })),
);
const SecurityIncidentPage = lazy(() =>
  import('./routes/security/IncidentPage.js').then((m) => ({ default: m.IncidentPage })),
);
const StockPage = lazy(() => import('./routes/stock/StockPage.js').then((m) => ({ default: m.StockPage })));
const PurchaseOrderPage = lazy(() =>
  import('./routes/stock/OrderPage.js').then((m) => ({ default: m.OrderPage })),
);
const WorkOrdersPage = lazy(() =>
  import('./routes/workorders/WorkOrdersPage.js').then((m) => ({ default: m.WorkOrdersPage })),
);
const PlanningPage = lazy(() =>
  import('./routes/workorders/PlanningPage.js').then((m) => ({ default: m.PlanningPage })),
);
const WorkOrderPage = lazy(() =>
  import('./routes/workorders/WorkOrderPage.js').then((m) => ({ default: m.WorkOrderPage })),
);
const StockTakePage = lazy(() => import('./routes/stock/TakePage.js').then((m) => ({ default: m.TakePage })));
const DisposalPage = lazy(() =>
  import('./routes/disposal/DisposalPage.js').then((m) => ({ default: m.DisposalPage })),
);
const DisposalBatchPage = lazy(() =>
  import('./routes/disposal/BatchPage.js').then((m) => ({ default: m.BatchPage })),
);
const ReportPage = lazy(() =>
  import('./routes/reports/ReportPage.js').then((m) => ({ default: m.ReportPage })),
);
const ReportSchedulesPage = lazy(() =>
  import('./routes/reports/ReportSchedulesPage.js').then((m) => ({ default: m.ReportSchedulesPage })),
);

/** Who is signed in decides which routes exist: the login page, the password page, or the app. */
export function App() {
  const { t } = useTranslation();
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: fetchMe,
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
  });

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={480}>
          <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
        </Stack>
      </Center>
    );
  }
  if (!me.data) return <SignedOut />;
  return (
    <SessionProvider me={me.data}>
      <AdoptAccountLanguage me={me.data} />
      {me.data.mustChangePassword ? <ForcePasswordPage /> : <SignedIn />}
    </SessionProvider>
  );
}

function SignedOut() {
  const location = useLocation();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="*"
        element={
          <Navigate to="/login" replace state={rememberPlace() ? { from: location.pathname } : null} />
        }
      />
    </Routes>
  );
}

function SignedIn() {
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={from && from !== '/login' ? from : '/'} replace />} />
      <Route element={<AppLayout />}>
        <Route index element={<RequesterHome home={<HomePage />} />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="assets">
          <Route index element={<RequirePermission action="asset.read" element={<AssetsPage />} />} />
          <Route
            path="import"
            element={<RequirePermission action="asset.manage" element={<AssetImportPage />} />}
          />
          <Route path=":id" element={<RequirePermission action="asset.read" element={<AssetPage />} />} />
        </Route>
        <Route path="locations">
          <Route index element={<RequirePermission action="asset.read" element={<LocationsPage />} />} />
          <Route path=":id" element={<RequirePermission action="asset.read" element={<LocationsPage />} />} />
        </Route>
        <Route
          path="catalogue"
          element={<RequirePermission action="asset.read" element={<CataloguePage />} />}
        />
        <Route
          path="inventory"
          element={<RequirePermission action="asset.read" element={<InventoryPage />} />}
        />
        <Route path="software">
          <Route index element={<RequirePermission action="asset.read" element={<SoftwarePage />} />} />
          <Route
            path=":id"
            element={<RequirePermission action="asset.read" element={<SoftwareDetailPage />} />}
          />
        </Route>
        <Route path="diagnostics">
          <Route index element={<RequirePermission action="ticket.create" element={<DiagnosticsPage />} />} />
          <Route
            path=":id"
            element={<RequirePermission action="diagnostic.manage" element={<DiagnosticTreePage />} />}
          />
          <Route
            path=":id/walk"
            element={<RequirePermission action="ticket.create" element={<DiagnosticWalkPage />} />}
          />
        </Route>
        <Route path="tickets">
          <Route index element={<RequirePermission action="ticket.read" element={<TicketsPage />} />} />
          <Route
            path=":id"
            element={
              <TicketRoute element={<RequirePermission action="ticket.read" element={<TicketPage />} />} />
            }
          />
        </Route>
        <Route path="portal">
          <Route index element={<RequirePermission action="ticket.create" element={<PortalPage />} />} />
          <Route
            path="new"
            element={<RequirePermission action="ticket.create" element={<PortalNewPage />} />}
          />
          <Route
            path=":id"
            element={<RequirePermission action="ticket.create" element={<PortalTicketPage />} />}
          />
        </Route>
        <Route path="kb">
          <Route index element={<RequirePermission action="kb.read" element={<KbListPage />} />} />
          <Route path="new" element={<RequirePermission action="kb.manage" element={<KbEditorPage />} />} />
          <Route path=":id" element={<RequirePermission action="kb.read" element={<KbArticlePage />} />} />
          <Route
            path=":id/edit"
            element={<RequirePermission action="kb.manage" element={<KbEditorPage />} />}
          />
        </Route>
        <Route path="security">
          <Route index element={<RequirePermission action="security.read" element={<SecurityPage />} />} />
          <Route
            path="incidents/:id"
            element={<RequirePermission action="security.read" element={<SecurityIncidentPage />} />}
          />
        </Route>
        <Route path="stock">
          <Route index element={<RequirePermission action="stock.read" element={<StockPage />} />} />
          <Route
            path="orders/:id"
            element={<RequirePermission action="stock.read" element={<PurchaseOrderPage />} />}
          />
          <Route
            path="takes/:id"
            element={<RequirePermission action="stock.read" element={<StockTakePage />} />}
          />
        </Route>
        <Route path="disposal">
          <Route index element={<RequirePermission action="disposal.read" element={<DisposalPage />} />} />
          <Route
            path="batches/:id"
            element={<RequirePermission action="disposal.read" element={<DisposalBatchPage />} />}
          />
        </Route>
        <Route path="work-orders">
          <Route index element={<RequirePermission action="workorder.read" element={<WorkOrdersPage />} />} />
          <Route
            path=":id"
            element={<RequirePermission action="workorder.read" element={<WorkOrderPage />} />}
          />
        </Route>
        <Route
          path="planning"
          element={<RequirePermission action="workorder.read" element={<PlanningPage />} />}
        />
        <Route path="reports">
          <Route index element={<RequirePermission action="report.read" element={<ReportPage />} />} />
          <Route
            path="schedules"
            element={<RequirePermission action="report.schedule" element={<ReportSchedulesPage />} />}
          />
        </Route>
        <Route path="admin">
          <Route index element={<Navigate to="/" replace />} />
          <Route path="orgs" element={<RequirePermission action="org.read" element={<OrgsPage />} />} />
          <Route path="users" element={<RequirePermission action="user.read" element={<UsersPage />} />} />
          <Route path="groups" element={<RequirePermission action="group.read" element={<GroupsPage />} />} />
          <Route path="roles" element={<RequirePermission action="user.read" element={<RolesPage />} />} />
          <Route path="audit" element={<RequirePermission action="audit.read" element={<AuditPage />} />} />
          <Route
            path="helpdesk"
            element={<RequirePermission action="helpdesk.configure" element={<HelpdeskSettingsPage />} />}
          />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** On a device without a language choice of its own, use the one saved on the account. */
function AdoptAccountLanguage({ me }: { me: Me }) {
  useEffect(() => {
    if (me.locale && !hasStoredLanguage()) void changeLanguage(me.locale);
  }, [me.locale]);
  return null;
}
