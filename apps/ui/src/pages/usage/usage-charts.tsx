import { Paper, Text } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from './usage-data';

function ChartCard({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <Paper withBorder p="sm" component="figure" m={0} aria-label={title}>
      <Text size="sm" fw={600} component="figcaption" mb="xs">
        {title}
      </Text>
      <div style={{ width: '100%', height: 240 }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </Paper>
  );
}

const usd = (value: number) => (value === 0 ? "$0" : value < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`);

export function SpendChart({ series }: { series: SeriesPoint[] }) {
  return (
    <ChartCard title="Spend over time (USD)">
      <BarChart data={series}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" fontSize={12} />
        <YAxis tickFormatter={usd} fontSize={12} width={70} />
        <Tooltip formatter={(value) => usd(Number(value))} />
        <Bar dataKey="spend" name="Spend" fill="#1c7ed6" />
      </BarChart>
    </ChartCard>
  );
}

export function TokensChart({ series }: { series: SeriesPoint[] }) {
  return (
    <ChartCard title="Tokens over time">
      <LineChart data={series}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" fontSize={12} />
        <YAxis fontSize={12} width={70} />
        <Tooltip />
        <Line type="monotone" dataKey="tokens" name="Tokens" stroke="#2f9e44" />
      </LineChart>
    </ChartCard>
  );
}

export function RequestsChart({ series }: { series: SeriesPoint[] }) {
  return (
    <ChartCard title="Requests and failures">
      <BarChart data={series}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" fontSize={12} />
        <YAxis fontSize={12} width={50} allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="requests" name="Requests" fill="#1c7ed6" />
        <Bar dataKey="failed" name="Failed" fill="#e03131" />
      </BarChart>
    </ChartCard>
  );
}
