import 'uplot/dist/uPlot.min.css';
import './style.css';
import { startApp } from './app.js';

startApp(document.getElementById('app') as HTMLElement);
