import { mount } from 'svelte';
import MobileApp from './MobileApp.svelte';
import './mobile.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from mobile.html');

export default mount(MobileApp, { target });
